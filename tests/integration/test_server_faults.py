"""The server stopped, restarted, or the network cut in the middle of the desk's work (a private
PostgreSQL server this module starts and stops, and a small TCP proxy the test cuts): a clear
message, nothing half-written, and the next save works again by itself, with no reopening."""

from __future__ import annotations

import datetime as dt
import socket
import threading

import pytest

from tambo_desktop import dates
from tambo_desktop.db.connection import close_database
from tambo_desktop.db.lifecycle import prepare
from tambo_desktop.db.models import Attention, Person, Service
from tambo_desktop.errors import DatabaseError
from tambo_desktop.i18n import use_language
from tambo_desktop.services.desk import DeskEntry, DeskService
from tambo_desktop.services.person_form import PersonForm
from tambo_desktop.services.persons import PersonService
from tambo_desktop.services.session import Session, system_session
from tests.conftest import initialize_tambo
from tests.pg_server import PrivateServer, pg_bin_dir

LOST = "Se perdió la conexión con el servidor de base de datos: no se guardó nada"


class Proxy:
    """127.0.0.1:port → the server; ``cut()`` drops every connection going through it."""

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            with self.lock:
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        with self.lock:
            for s in self.sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            self.sockets.clear()


@pytest.fixture(scope="module")
def server():
    if pg_bin_dir() is None:
        pytest.skip("PostgreSQL server binaries (initdb) not found: install postgresql-15")
    private = PrivateServer()
    private.init()
    yield private
    private.remove()


def _entry(document: str, services: list[int]) -> DeskEntry:
    person = PersonForm(
        document_type="dni", document_number=document, first_names="Rosa", last_name_1="Quispe", sex="F"
    )
    return DeskEntry(
        None, person, services, "inside", None, dates.now().replace(microsecond=0) - dt.timedelta(minutes=5)
    )


def test_the_server_restarted_between_two_saves(home, server):
    prepare(f"postgresql://postgres@127.0.0.1:{server.port}/tambo")
    session: Session = initialize_tambo()
    persons = PersonService(session)
    persons.save(
        PersonForm(document_type="dni", document_number="41000001", first_names="Ana", last_name_1="Mamani", sex="F")
    )
    server.stop()
    try:
        with use_language("es"), pytest.raises(DatabaseError, match=LOST):
            persons.save(
                PersonForm(
                    document_type="dni", document_number="41000002", first_names="Eva", last_name_1="Ccori", sex="F"
                )
            )
    finally:
        server.start()
    # the same service, no reopening: the connection comes back by itself
    persons.save(
        PersonForm(document_type="dni", document_number="41000003", first_names="Luz", last_name_1="Apaza", sex="F")
    )
    assert sorted(p.document_number for p in Person.select()) == ["41000001", "41000003"]
    close_database()


def test_the_network_cut_in_the_middle_of_a_desk_save_leaves_nothing(home, server, monkeypatch):
    proxy = Proxy(server.port)
    prepare(f"postgresql://postgres@127.0.0.1:{proxy.port}/tambo")
    session = system_session()
    desk = DeskService(session)
    services = [s.id for s in Service.select().where(Service.entity.is_null(False)).limit(3)]
    before = (Person.select().count(), Attention.select().count())

    from tambo_desktop.services import session as session_module

    real_save = session_module.Session.save
    saved: list[str] = []

    def cut_after_the_second_atencion(self, record, summary="", **options):
        real_save(self, record, summary, **options)
        saved.append(record._meta.table_name)
        if saved.count("attention") == 2:
            proxy.cut()

    monkeypatch.setattr(session_module.Session, "save", cut_after_the_second_atencion)
    with use_language("es"), pytest.raises(DatabaseError, match=LOST):
        desk.register(_entry("42000001", services))
    monkeypatch.undo()
    # the network is back: the next save reconnects by itself, and nothing of the cut one is there
    assert (Person.select().count(), Attention.select().count()) == before
    result = desk.register(_entry("42000001", services))
    assert len(result.attention_ids) == 3
    assert (Person.select().count(), Attention.select().count()) == (before[0] + 1, before[1] + 3)
    close_database()
