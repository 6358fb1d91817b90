"""A small OParl server for the tests: stdlib ``http.server`` in a thread on 127.0.0.1, serving a made-up city.

It follows the OParl 1.1 specification where it matters to a client (System → body list → Body → paginated
paper list with ``data``/``pagination``/``links``, ``modified_since``, embedded Files and Consultations,
organisations and meetings by URL, files as real PDFs made with ``tools.pdfgen``), speaks the 1.0 and pre-1.0
dialects for some papers, and can misbehave on request the way real servers do: busy answers (429 with
Retry-After, 503), slow endpoints, 404 for an empty ``modified_since`` window, ignored filters, everything
stamped as modified today, pagination that loops, broken ``next`` links, broken objects and files.

Everything the tests may change lives on :class:`World` (papers, behaviour) and can be changed while the
server runs; ``World.log`` records every request (path and query) so tests can check politeness.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from tools.pdfgen import make_pdf

V11 = "https://schema.oparl.org/1.1/"
V10 = "https://schema.oparl.org/1.0/"
DRAFT = "http://oparl.org/schema/1.0/"

_PDFS: dict[tuple[str, str], bytes] = {}


@dataclass
class FileSpec:
    key: str
    name: str
    blocks: list[Any]
    broken: str | None = None  # "404": the download is gone; "html": an error page instead of the PDF

    def pdf(self) -> bytes:
        cache_key = (self.key, json.dumps(self.blocks, ensure_ascii=False))
        if cache_key not in _PDFS:
            _PDFS[cache_key] = make_pdf(None, self.blocks, title=self.name)
        return _PDFS[cache_key]


@dataclass
class PaperSpec:
    key: str
    body: str
    reference: str
    name: str
    paper_type: str
    date: str
    modified: str
    main: FileSpec | None = None
    aux: list[FileSpec] = field(default_factory=list)
    consultations: list[tuple[str, str, str | None, bool]] = field(default_factory=list)  # org, meeting, role, auth
    under: list[str] = field(default_factory=list)
    dialect: str = "1.1"  # "1.1", "1.0" or "draft" (pre-1.0 spellings, files by URL)
    raw: Any = None  # served as is instead (broken objects)


@dataclass
class Behaviour:
    page_size: int = 3
    fail: dict[str, list[int]] = field(default_factory=dict)  # path → statuses to answer first, in turn
    retry_after: str | None = "0"
    slow: dict[str, float] = field(default_factory=dict)  # path → seconds to sleep before answering
    ignore_filters: bool = False
    not_found_when_empty: bool = False
    stamp_today: bool = False
    loop_last_page: bool = False  # the last page links on to page 1 under a new URL
    broken_next_on_page: int | None = None  # this page's next link leads to a 500


class World:
    """The city of Musterstadt and the Kreis Beispielkreis, with their papers and the server's manners."""

    def __init__(self) -> None:
        self.base = ""
        self.behaviour = Behaviour()
        self.log: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.bodies = {"1": ("Stadt Musterstadt", "Musterstadt"), "2": ("Kreis Beispielkreis", "Beispielkreis")}
        self.organizations = {
            "gr/1": "Rat der Stadt Musterstadt",
            "gr/2": "Ausschuss für Wirtschaftsförderung und Tourismus",
            "gr/3": "Kreistag Beispielkreis",
            "at/10": "Amt für Wirtschaftsförderung",
        }
        self.meetings = {"m1": "2023-05-16T17:00:00+02:00", "m2": "2023-06-27T16:00:00+02:00",
                         "m3": "2024-02-20T17:00:00+01:00"}
        self.papers: list[PaperSpec] = default_papers()

    # -- helpers for tests ---------------------------------------------------------------------------------

    def paper(self, reference: str) -> PaperSpec:
        return next(p for p in self.papers if p.reference == reference)

    def requests_to(self, fragment: str) -> list[tuple[str, str]]:
        with self.lock:
            return [r for r in self.log if fragment in r[0]]

    def add_broken(self) -> None:
        """Objects and files a robust importer must report and read around."""
        self.papers += [
            PaperSpec("x1", "1", "2024/0090", "Ohne Kennung", "Antrag", "2024-03-01", "2024-03-02T10:00:00+01:00",
                      raw={"type": V11 + "Paper", "name": "Ein Objekt ohne id", "reference": "2024/0090"}),
            PaperSpec("x2", "1", "-", "-", "-", "2024-03-01", "2024-03-02T10:00:00+01:00", raw="kein Objekt"),
            PaperSpec("x3", "1", "2024/0093", "Sanierung Gewerbegebiet Nord – Förderantrag", "Beschlussvorlage",
                      "31.02.2024", "2024-03-02T10:00:00+01:00",
                      main=FileSpec("f93", "Vorlage Gewerbegebiet", vorlage("2024/0093", "Gewerbegebiet Nord")),
                      aux=[FileSpec("f94", "Anlage 1 Lageplan", ["Lageplan"], broken="404")]),
            PaperSpec("x4", "1", "2024/0095", "Breitbandausbau in den Gewerbegebieten", "Informationsvorlage",
                      "2024-03-05", "2024-03-05T10:00:00+01:00",
                      main=FileSpec("f95", "Informationsvorlage Breitband", ["x"], broken="html")),
        ]

    # -- OParl objects -------------------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return f"{self.base}/oparl/v1/{path}"

    def stamp(self, value: str) -> str:
        return datetime.now(timezone.utc).replace(microsecond=0).isoformat() if self.behaviour.stamp_today else value

    def system(self) -> dict[str, Any]:
        return {"id": self.url("system"), "type": V11 + "System", "oparlVersion": V11,
                "name": "Ratsinformationssystem Musterstadt (Test)", "body": self.url("bodies"),
                "created": "2016-01-01T00:00:00+01:00", "modified": self.stamp("2024-01-01T00:00:00+01:00")}

    def body(self, key: str) -> dict[str, Any]:
        name, short = self.bodies[key]
        return {"id": self.url(f"bodies/{key}"), "type": V11 + "Body", "system": self.url("system"), "name": name,
                "shortName": short, "paper": self.url(f"bodies/{key}/papers"),
                "organization": self.url(f"bodies/{key}/organizations"),
                "meeting": self.url(f"bodies/{key}/meetings"), "person": self.url(f"bodies/{key}/people"),
                "legislativeTerm": [], "created": "2016-01-01T00:00:00+01:00",
                "modified": self.stamp("2024-01-01T00:00:00+01:00")}

    def organization(self, body: str, key: str) -> dict[str, Any]:
        return {"id": self.url(f"bodies/{body}/organizations/{key}"), "type": V11 + "Organization",
                "body": self.url(f"bodies/{body}"), "name": self.organizations[key],
                "organizationType": "Gremium" if key.startswith("gr") else "Verwaltungsbereich",
                "created": "2016-01-01T00:00:00+01:00", "modified": self.stamp("2020-01-01T00:00:00+01:00")}

    def meeting(self, body: str, key: str) -> dict[str, Any]:
        return {"id": self.url(f"bodies/{body}/meetings/{key}"), "type": V11 + "Meeting",
                "name": f"Sitzung {key}", "start": self.meetings[key],
                "created": "2016-01-01T00:00:00+01:00", "modified": self.stamp("2020-01-01T00:00:00+01:00")}

    def file(self, spec: FileSpec, paper: PaperSpec) -> dict[str, Any]:
        prefix = DRAFT if paper.dialect == "draft" else (V10 if paper.dialect == "1.0" else V11)
        data = {"id": self.url(f"files/{spec.key}"), "type": prefix + "File", "name": spec.name,
                "fileName": f"{spec.key}.pdf", "mimeType": "application/pdf", "date": paper.date[:10],
                "accessUrl": f"{self.base}/files/a/{spec.key}.pdf", "downloadUrl": f"{self.base}/files/{spec.key}.pdf",
                "created": "2016-01-01T00:00:00+01:00", "modified": self.stamp(paper.modified)}
        if not spec.broken:
            data["size"] = len(spec.pdf())
        return data

    def paper_object(self, spec: PaperSpec) -> Any:
        if spec.raw is not None:
            return spec.raw
        prefix = {"1.1": V11, "1.0": V10, "draft": DRAFT}[spec.dialect]
        body = self.url(f"bodies/{spec.body}")
        data: dict[str, Any] = {
            "id": self.url(f"bodies/{spec.body}/papers/{spec.key}"), "type": prefix + "Paper", "body": body,
            "name": spec.name, "reference": spec.reference, "paperType": spec.paper_type,
            "web": f"{self.base}/vorgang/{spec.key}", "created": "2016-01-01T00:00:00+01:00",
            "modified": self.stamp(spec.modified),
        }
        data["publishedDate" if spec.dialect == "draft" else "date"] = spec.date
        if spec.dialect == "draft":  # files and consultations by URL, old key spelling
            if spec.main:
                data["mainFile"] = self.url(f"files/{spec.main.key}")
            data["auxiliaryFile"] = [self.url(f"files/{f.key}") for f in spec.aux]
            data["underDirectionof"] = [self.url(f"bodies/{spec.body}/organizations/{o}") for o in spec.under]
        else:
            if spec.main:
                data["mainFile"] = self.file(spec.main, spec)
            if spec.aux:
                data["auxiliaryFile"] = [self.file(f, spec) for f in spec.aux]
            if spec.under:
                data["underDirectionOf"] = [self.url(f"bodies/{spec.body}/organizations/{o}") for o in spec.under]
        consultations = []
        for n, (org, meeting, role, authoritative) in enumerate(spec.consultations):
            step: dict[str, Any] = {
                "id": self.url(f"bodies/{spec.body}/consultations/{spec.key}-{n}"), "type": prefix + "Consultation",
                "paper": data["id"], "meeting": self.url(f"bodies/{spec.body}/meetings/{meeting}"),
                "organization": [self.url(f"bodies/{spec.body}/organizations/{org}")],
                "authoritative": authoritative, "created": "2016-01-01T00:00:00+01:00",
                "modified": self.stamp(spec.modified),
            }
            if role:
                step["role"] = role
            consultations.append(step)
        if consultations:
            data["consultation"] = consultations
        return data

    def file_spec(self, key: str) -> tuple[FileSpec, PaperSpec] | None:
        for paper in self.papers:
            for spec in ([paper.main] if paper.main else []) + paper.aux:
                if spec.key == key:
                    return spec, paper
        return None

    # -- lists ---------------------------------------------------------------------------------------------

    def paper_page(self, body: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        papers = [p for p in self.papers if p.body == body]
        since = (query.get("modified_since") or [None])[0]
        if since and not self.behaviour.ignore_filters:
            limit = datetime.fromisoformat(since)
            papers = [p for p in papers if datetime.fromisoformat(self.stamp(p.modified)) >= limit]
            if not papers and self.behaviour.not_found_when_empty:
                return 404, {"type": V11 + "Error", "message": "Keine Daten"}
        size = self.behaviour.page_size
        pages = max(1, -(-len(papers) // size))
        page = int((query.get("page") or ["1"])[0])
        if page > pages:
            return 500, {"type": V11 + "Error", "message": "Seite existiert nicht"}
        chunk = papers[(page - 1) * size : page * size]

        def link(n: int, **extra: str) -> str:
            params = {"page": str(n), **({"modified_since": since} if since else {}), **extra}
            return f"{self.url(f'bodies/{body}/papers')}?{urlencode(params)}"

        links = {"first": link(1), "self": link(page), "last": link(pages)}
        if page > 1:
            links["prev"] = link(page - 1)
        if page < pages:
            links["next"] = link(page + 1)
        elif self.behaviour.loop_last_page:
            links["next"] = link(1, sort="id")
        if self.behaviour.broken_next_on_page == page:
            links["next"] = link(pages + 5)
        return 200, {"data": [self.paper_object(p) for p in chunk],
                     "pagination": {"totalElements": len(papers), "elementsPerPage": size, "currentPage": page,
                                    "totalPages": pages},
                     "links": links}

    # -- dumps ---------------------------------------------------------------------------------------------

    def dump(self, folder: Path, *, with_files: bool = True) -> Path:
        """The world as OParl JSON on disk: system, bodies, organisations, meetings, paper list pages, PDFs."""
        folder.mkdir(parents=True, exist_ok=True)
        objects = [self.system()] + [self.body(k) for k in self.bodies]
        objects += [self.organization("1" if k != "gr/3" else "2", k) for k in self.organizations]
        objects += [self.meeting(b, k) for b in self.bodies for k in self.meetings]
        objects += [self.file(f, p) for p in self.papers if p.dialect == "draft" for f in
                    ([p.main] if p.main else []) + p.aux]
        (folder / "objects.json").write_text(json.dumps(objects, ensure_ascii=False, indent=1), encoding="utf-8")
        for body in self.bodies:
            status, page = self.paper_page(body, {"page": ["1"]})
            page["data"] = [self.paper_object(p) for p in self.papers if p.body == body]
            (folder / f"papers-{body}.json").write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")
        if with_files:
            (folder / "files").mkdir(exist_ok=True)
            for paper in self.papers:
                for spec in ([paper.main] if paper.main else []) + paper.aux:
                    if not spec.broken:
                        (folder / "files" / f"{spec.key}.pdf").write_bytes(spec.pdf())
        return folder


def vorlage(reference: str, subject: str, body: str = "Stadt Musterstadt", extra: str = "") -> list[Any]:
    """The text of a Beschlussvorlage, as the PDF's blocks."""
    return [
        body, "Der Oberbürgermeister", f"Vorlage Nr. {reference}", "öffentlich",
        ("h", f"Betreff: {subject}"),
        ("h", "Beschlussvorschlag:"),
        f"Der Rat beschließt, die Maßnahmen zu {subject} wie in der Vorlage beschrieben umzusetzen. {extra}",
        ("h", "Sachverhalt:"),
        "Die Clusterförderung der Stadt stützt sich seit 2015 auf die Kompetenzfelder Gesundheitswirtschaft, "
        "Logistik und neue Werkstoffe. Das Clustermanagement wird aus Mitteln des EFRE gefördert.",
        ("h", "Finanzielle Auswirkungen:"), "Rund 25.000 € jährlich.",
    ]


def default_papers() -> list[PaperSpec]:
    """Nine papers of Musterstadt (three pages at page size 3 … four with the broken ones) and two of the Kreis."""
    report = [("h", "Evaluation des Clustermanagements Gesundheitswirtschaft"), ("h", "Zusammenfassung"),
              "Die Studie bewertet die Arbeit des Clustermanagements in den Jahren 2019 bis 2022. Die Zahl der "
              "beteiligten Unternehmen ist deutlich gestiegen."]
    return [
        PaperSpec("101", "1", "2023/0101", "Clusterförderung Gesundheitswirtschaft – Fortführung des "
                  "Clustermanagements", "Beschlussvorlage", "2023-04-20", "2023-04-20T09:00:00+02:00",
                  main=FileSpec("f101", "Vorlage Clustermanagement",
                                vorlage("2023/0101", "Fortführung des Clustermanagements Gesundheitswirtschaft")),
                  aux=[FileSpec("f102", "Anlage 1 Evaluationsbericht", report)],
                  consultations=[("gr/2", "m1", "Vorberatung", False), ("gr/1", "m2", "Entscheidung", True)],
                  under=["at/10"]),
        PaperSpec("105", "1", "2023/0105", "Antrag der Fraktion Zukunft: Wasserstoff-Netzwerk Musterstadt",
                  "Antrag", "2023-05-02", "2023-05-02T12:00:00+02:00",
                  aux=[FileSpec("f105", "Antrag Wasserstoff-Netzwerk",
                                ["Antrag", ("h", "Wasserstoff-Netzwerk Musterstadt"),
                                 "Die Verwaltung wird beauftragt, ein Netzwerk Wasserstoff mit den Unternehmen der "
                                 "Region aufzubauen und Fördermittel des Landes zu beantragen."]),
                       FileSpec("f106", "Stellungnahme der Verwaltung",
                                ["Stellungnahme", "Die Verwaltung begrüßt den Antrag zum Wasserstoff-Netzwerk."])],
                  consultations=[("gr/2", "m1", None, True)]),
        PaperSpec("110", "1", "2023/0110", "Anfrage: Ansiedlungen im Technologiepark seit 2020", "Anfrage",
                  "2023-05-10", "2023-05-10T08:00:00+02:00", consultations=[("gr/2", "m2", "Kenntnisnahme", False)]),
        PaperSpec("115", "1", "2023/0115", "Bericht zur Gründungsförderung 2022", "Informationsvorlage",
                  "2023-06-01", "2023-06-01T08:00:00+02:00",
                  main=FileSpec("f115", "Informationsvorlage Gründungsförderung",
                                ["Informationsvorlage", ("h", "Bericht zur Gründungsförderung 2022"),
                                 "Im Jahr 2022 wurden 48 Gründungen im Gründerzentrum beraten; die Gründungsförderung "
                                 "wird mit der IHK fortgesetzt."]),
                  consultations=[("gr/2", "m2", "Kenntnisnahme", False)], dialect="1.0"),
        PaperSpec("120", "1", "2023/0120", "Logistikstandort Hafen – Kooperation mit der Region", "Beschlussvorlage",
                  "2023-09-12", "2023-09-12T08:00:00+02:00",
                  main=FileSpec("f120", "Vorlage Logistik", vorlage("2023/0120", "Kooperation Logistik im Hafen")),
                  under=["at/10"], dialect="draft"),
        PaperSpec("201", "1", "2024/0001", "Fortschreibung des Wirtschaftsflächenkonzepts", "Beschlussvorlage",
                  "2024-01-15T00:00:00+01:00", "2024-01-15T08:00:00+01:00",
                  main=FileSpec("f201", "Vorlage Wirtschaftsflächen",
                                vorlage("2024/0001", "Fortschreibung Wirtschaftsflächenkonzept")),
                  consultations=[("gr/1", "m3", "Entscheidung", True)]),
        PaperSpec("202", "1", "2024/0002", "Beteiligung am Landeswettbewerb Innovationsregion", "Beschlussvorlage",
                  "2024-01-22", "2024-01-22T08:00:00+01:00",
                  main=FileSpec("f202", "Vorlage Landeswettbewerb",
                                vorlage("2024/0002", "Beteiligung am Landeswettbewerb Innovationsregion")),
                  consultations=[("gr/1", "m3", "Entscheidung", True)]),
        PaperSpec("301", "2", "KT/2023/015", "Regionales Innovationsnetzwerk Beispielkreis – Clusterförderung",
                  "Beschlussvorlage", "2023-03-01", "2023-03-01T08:00:00+01:00",
                  main=FileSpec("f301", "Kreistagsvorlage Innovationsnetzwerk",
                                vorlage("KT/2023/015", "Clusterförderung im Regionalen Innovationsnetzwerk",
                                        body="Kreis Beispielkreis")),
                  consultations=[("gr/3", "m1", "Entscheidung", True)]),
        PaperSpec("302", "2", "KT/2024/003", "Breitbandstrategie des Kreises", "Mitteilungsvorlage", "2024-02-01",
                  "2024-02-01T08:00:00+01:00"),
    ]


class _Handler(BaseHTTPRequestHandler):
    world: World

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        world = self.world
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        with world.lock:
            world.log.append((path, parts.query))
            queue = world.behaviour.fail.get(path)
            status = queue.pop(0) if queue else None
        delay = world.behaviour.slow.get(path, 0.0)
        if delay:
            time.sleep(delay)
        if status is not None:
            headers = {"Retry-After": world.behaviour.retry_after} if status in (429, 503) and \
                world.behaviour.retry_after is not None else {}
            return self._send(status, {"type": V11 + "Error", "message": "busy"}, headers)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (time-out tests)
            self._route(world, path, query)

    def _route(self, world: World, path: str, query: dict[str, list[str]]) -> None:
        segments = [s for s in path.split("/") if s]
        if segments[:1] == ["files"]:
            key = segments[-1].removesuffix(".pdf")
            found = world.file_spec(key)
            if found is None or found[0].broken == "404":
                return self._send(404, {"message": "not found"})
            if found[0].broken == "html":
                return self._raw(200, b"<!DOCTYPE html><html><body>Bitte melden Sie sich an.</body></html>",
                                 "text/html")
            return self._raw(200, found[0].pdf(), "application/pdf")
        if segments[:2] != ["oparl", "v1"]:
            return self._send(404, {"message": "not found"})
        rest = segments[2:]
        if rest == ["system"]:
            return self._send(200, world.system())
        if rest == ["bodies"]:
            data = [world.body(k) for k in world.bodies]
            return self._send(200, {"data": data, "pagination": {"totalElements": len(data)},
                                    "links": {"self": world.url("bodies")}})
        if len(rest) >= 2 and rest[0] == "bodies" and rest[1] in world.bodies:
            body = rest[1]
            if len(rest) == 2:
                return self._send(200, world.body(body))
            if rest[2:] == ["papers"]:
                status, page = world.paper_page(body, query)
                return self._send(status, page)
            if rest[2] == "papers" and len(rest) == 4:
                spec = next((p for p in world.papers if p.key == rest[3] and p.body == body), None)
                return self._send(200, world.paper_object(spec)) if spec else self._send(404, {})
            if rest[2] == "organizations" and len(rest) == 5 and f"{rest[3]}/{rest[4]}" in world.organizations:
                return self._send(200, world.organization(body, f"{rest[3]}/{rest[4]}"))
            if rest[2] == "meetings" and len(rest) == 4 and rest[3] in world.meetings:
                return self._send(200, world.meeting(body, rest[3]))
        if len(rest) == 2 and rest[0] == "files":
            found = world.file_spec(rest[1])
            if found:
                return self._send(200, world.file(*found))
        return self._send(404, {"type": V11 + "Error", "message": "not found"})

    def _send(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._raw(status, body, "application/json; charset=utf-8", headers)

    def _raw(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(world: World | None = None) -> Iterator[World]:
    """Run the server for ``world`` on a free port of 127.0.0.1 while the context lasts."""
    world = world or World()
    handler = type("Handler", (_Handler,), {"world": world})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    world.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield world
    finally:
        server.shutdown()
        server.server_close()
