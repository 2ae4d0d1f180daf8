"""Everything Qt: bootstrap, main window, pages, dialogs and the translator bridge."""
