"""Build hooks: compile the Designer forms and the translation catalogs before packaging.

Metadata lives in pyproject.toml; this file only adds the asset step to every build,
wheel and editable alike.
"""

import sys
from pathlib import Path

from setuptools import Command, setup
from setuptools.command.build import build

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))


class BuildAssets(Command):
    description = "compile ui/*.ui forms and .po catalogs"
    user_options: list = []

    def initialize_options(self):
        self.editable_mode = False

    def finalize_options(self):
        pass

    def run(self):
        import build_assets

        build_assets.build_all()

    def get_outputs(self):
        return []

    def get_output_mapping(self):
        return {}


build.sub_commands.insert(0, ("build_assets", None))
setup(cmdclass={"build_assets": BuildAssets})
