"""The OParl import against a live test server: incremental re-runs, resuming, and servers that misbehave.

These run the library function without entity extraction or indexing (fast); the CLI tests in
``tests/test_cli_oparl.py`` cover the whole command.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from clustermine.corpus import open_store
from clustermine.corpus.oparl.client import HttpClient
from clustermine.corpus.oparl.importer import ImportOptions, ImportReport, import_oparl
from clustermine.corpus.store import CorpusStore
from clustermine.errors import ClustermineError
from tests.oparl_server import FileSpec, PaperSpec, World, serve, vorlage

PAPERS = 9  # in the default world: 7 of Musterstadt, 2 of the Kreis
FILES = 9


@pytest.fixture
def world():
    with serve() as running:
        yield running


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "home") as opened:
        yield opened


def run(store: CorpusStore, world: World, **options: object) -> ImportReport:
    callbacks = {k: options.pop(k) for k in ("on_paper",) if k in options}
    client = HttpClient(rate=0, timeout=2, retries=2, backoff=0.001)
    return import_oparl(store, world.url("system"), ImportOptions(jobs=1, **options), client=client, **callbacks)


def file_requests(world: World) -> Counter[str]:
    return Counter(path for path, _ in world.requests_to("/files/") if path.startswith("/files/"))


def doc_of(store: CorpusStore, reference: str) -> dict:
    rows = store.conn.execute("SELECT * FROM documents WHERE json_extract(council_json, '$.number') = ? "
                              "AND doctype_rule = 'oparl'", (reference,)).fetchall()
    assert len(rows) == 1, f"{reference}: {len(rows)} documents"
    return dict(rows[0])


def test_import_then_rerun_asks_only_for_changes_and_downloads_nothing_again(store, world) -> None:
    first = run(store, world)
    assert first.ok and first.counts() == {
        "papers": {"new": PAPERS, "updated": 0, "unchanged": 0, "failed": 0},
        "files": {"downloaded": FILES, "reused": 0, "failed": 0, "missing": 0},
    }
    assert set(file_requests(world).values()) == {1} and len(file_requests(world)) == FILES
    assert first.bodies == ["Stadt Musterstadt", "Kreis Beispielkreis"]
    assert doc_of(store, "2023/0110")["format"] == "oparl"  # a paper without files stands for itself
    logistik = doc_of(store, "2023/0120")  # pre-1.0 spelling: publishedDate, files by URL
    assert (logistik["date"], logistik["date_rule"], logistik["format"]) == ("2023-09-12", "oparl", "pdf")

    world.log.clear()
    again = run(store, world)
    assert again.ok and sum(again.counts()["papers"].values()) == 0 and not file_requests(world)
    queries = [q for p, q in world.log if p.endswith("/papers")]
    assert queries and all(q.startswith("modified_since=") for q in queries)
    assert all(w.since for w in again.lists)

    full = run(store, world, full=True)
    assert full.counts()["papers"]["unchanged"] == PAPERS and full.counts()["files"]["reused"] == FILES
    assert not file_requests(world)


def test_changed_papers_and_replaced_files_are_updated(store, world) -> None:
    run(store, world)
    old_id = doc_of(store, "2024/0001")["id"]
    world.paper("2024/0002").name = "Beteiligung am Landeswettbewerb Innovationsregion (Neufassung)"
    world.paper("2024/0002").modified = "2030-01-01T00:00:00+01:00"
    flaechen = world.paper("2024/0001")
    flaechen.main = FileSpec("f201", "Vorlage Wirtschaftsflächen",
                             vorlage("2024/0001", "Wirtschaftsflächenkonzept", extra="Neufassung mit Gewerbeflächen."))
    flaechen.modified = "2030-01-01T00:00:00+01:00"
    world.papers.append(PaperSpec("203", "1", "2024/0003", "Neues Gründerzentrum", "Beschlussvorlage", "2024-03-01",
                                  "2030-01-01T00:00:00+01:00"))
    world.log.clear()
    report = run(store, world)
    assert report.counts()["papers"] == {"new": 1, "updated": 2, "unchanged": 0, "failed": 0}
    assert list(file_requests(world)) == ["/files/f201.pdf"]  # the renamed paper's file is not fetched again
    assert doc_of(store, "2024/0002")["title"].endswith("(Neufassung)")
    replaced = doc_of(store, "2024/0001")
    assert replaced["id"] != old_id and "Gewerbeflächen" in replaced["text"]
    assert store.conn.execute("SELECT COUNT(*) FROM documents WHERE id = ?", (old_id,)).fetchone()[0] == 0


def test_server_that_stamps_everything_as_modified_today(store, world) -> None:
    world.behaviour.stamp_today = True
    run(store, world)
    world.log.clear()
    again = run(store, world)
    assert again.counts()["papers"]["unchanged"] == PAPERS and not file_requests(world)


def test_server_that_ignores_filters_is_filtered_on_our_side(store, world) -> None:
    world.behaviour.ignore_filters = True
    report = run(store, world, since="2024-01")
    assert report.counts()["papers"]["new"] == 3 and report.skipped["since"] == PAPERS - 3
    assert {p.reference for p in report.papers} == {"2024/0001", "2024/0002", "KT/2024/003"}


def test_404_for_an_empty_window_means_nothing_changed(store, world) -> None:
    world.behaviour.not_found_when_empty = True
    run(store, world)
    again = run(store, world)
    assert again.ok and any("404" in note for note in again.notes)


def test_pagination_that_loops_is_stopped(store, world) -> None:
    world.behaviour.loop_last_page = True
    report = run(store, world)
    assert report.ok and report.counts()["papers"]["new"] == PAPERS and report.duplicates == 0
    assert any("repeats an earlier page" in note for note in report.notes)


def test_a_broken_next_link_fails_the_list_but_keeps_what_was_read(store, world) -> None:
    world.behaviour.broken_next_on_page = 1
    report = run(store, world)
    assert not report.ok and [w.url.rsplit("/", 2)[-2] for w in report.failed_lists] == ["1", "2"]
    assert report.counts()["papers"]["new"] == 3 + 2  # page 1 of each body (the Kreis has only one)
    world.behaviour.broken_next_on_page = None
    world.log.clear()
    again = run(store, world)  # no mark was set for the broken list: it is walked whole again
    assert again.ok and again.counts()["papers"]["new"] == 4
    assert [q for p, q in world.log if p.endswith("/bodies/1/papers")][0] == ""


def test_busy_server_is_retried(store, world) -> None:
    world.behaviour.fail["/oparl/v1/bodies/1/papers"] = [429, 503]
    world.behaviour.fail["/files/f101.pdf"] = [503]
    report = run(store, world)
    assert report.ok and report.counts()["files"]["downloaded"] == FILES
    assert len(world.requests_to("/oparl/v1/bodies/1/papers")) == 3 + 2  # 2 busy answers + 3 pages
    assert file_requests(world)["/files/f101.pdf"] == 2


def test_an_interrupted_run_resumes_without_downloading_again(store, world) -> None:
    done: list[str] = []

    def stop_after_three(result) -> None:
        done.append(result.id)
        if len(done) == 3:
            raise KeyboardInterrupt

    first = run(store, world, on_paper=stop_after_three)
    assert first.interrupted and not first.ok
    second = run(store, world)
    counts = second.counts()["papers"]
    assert second.ok and counts["new"] == PAPERS - 3 and counts["unchanged"] == 3
    assert set(file_requests(world).values()) == {1} and len(file_requests(world)) == FILES
    assert store.conn.execute("SELECT COUNT(*) FROM oparl_papers WHERE complete = 1").fetchone()[0] == PAPERS


def test_paper_type_limit_and_body(store, world) -> None:
    report = run(store, world, paper_types=("VORLAGE",))
    assert {p.reference for p in report.papers} == {
        "2023/0101", "2023/0115", "2023/0120", "2024/0001", "2024/0002", "KT/2023/015", "KT/2024/003"}
    assert report.skipped["paper_type"] == 2

    world.log.clear()
    limited = run(store, world, limit=2, full=True)
    assert len(limited.papers) == 2 and limited.limit_reached
    assert [p for p, _ in world.log if "/papers" in p] == ["/oparl/v1/bodies/1/papers"]  # page 1 only

    kreis = run(store, world, body="beispielkreis", full=True)
    assert kreis.bodies == ["Kreis Beispielkreis"] and len(kreis.papers) == 2
    with pytest.raises(ClustermineError, match="no body matches --body 'Atlantis'") as caught:
        run(store, world, body="Atlantis")
    assert "Stadt Musterstadt" in caught.value.hint


def test_duplicates_deleted_and_broken_objects(store, world) -> None:
    world.papers.insert(5, world.paper("2023/0101"))  # listed twice (a shifting list)
    world.papers.append(PaperSpec("gone", "1", "", "", "", "", "2024-03-01T00:00:00+01:00", raw={
        "id": world.url("bodies/1/papers/gone"), "type": "https://schema.oparl.org/1.1/Paper", "deleted": True}))
    world.add_broken()
    report = run(store, world)
    counts = report.counts()
    assert report.duplicates == 1 and report.skipped["deleted"] == 1
    assert counts["papers"]["failed"] == 2 and counts["files"]["failed"] == 2 and not report.ok
    failed = {p.reason for p in report.papers if p.status == "failed"}
    assert failed == {"the paper has no id", "expected a Paper object, got str"}
    bad_date = next(p for p in report.papers if p.reference == "2024/0093")
    assert bad_date.problems == ["date '31.02.2024' is not a date (YYYY-MM-DD); ignored"]
    reasons = {f.reason for p in report.papers for f in p.files if f.status == "failed"}
    assert reasons == {"not found (HTTP 404)", "the server sent a web page or error message instead of the PDF"}
    assert {r["path"].rsplit("/", 1)[-1] for r in store.failures()} >= {"f94.pdf", "f95.pdf"}
    only_metadata = doc_of(store, "2024/0095")  # its only file failed: the metadata stands in
    assert only_metadata["format"] == "oparl"

    world.paper("2024/0093").aux[0].broken = None
    world.paper("2024/0095").main.broken = None
    fixed = run(store, world)  # papers with missing files are tried again although the server lists nothing new
    assert fixed.ok and fixed.counts()["files"] == {"downloaded": 2, "reused": 1, "failed": 0, "missing": 0}
    assert doc_of(store, "2024/0095")["format"] == "pdf"
    assert not [r for r in store.failures() if r["path"].endswith(("f94.pdf", "f95.pdf"))]


def test_unreadable_files_are_reported_once(store, world) -> None:
    world.paper("2023/0110").main = FileSpec("f110", "Anfrage (Scan)", [("page", "")])
    first = run(store, world)
    failed = [f for p in first.papers for f in p.files if f.status == "failed"]
    assert len(failed) == 1 and "no text" in failed[0].reason and not first.ok
    assert doc_of(store, "2023/0110")["format"] == "oparl"
    again = run(store, world, full=True)
    assert again.ok and again.counts()["files"]["failed"] == 0


def test_the_cache_is_a_dump_for_re_analysis_without_requests(store, world, monkeypatch) -> None:
    run(store, world)
    cache = next((store.home / "oparl").iterdir())
    assert {p.name for p in cache.iterdir()} >= {"paper", "body", "organization", "meeting", "files"}
    world.log.clear()
    offline = import_oparl(store, str(cache), ImportOptions(jobs=1))
    assert offline.offline and offline.ok and not world.log
    assert offline.counts()["papers"]["unchanged"] == PAPERS

    monkeypatch.setattr("clustermine.corpus.oparl.importer.MAPPING_VERSION", "next")  # a clustermine that maps anew
    remapped = import_oparl(store, str(cache), ImportOptions(jobs=1))
    assert remapped.counts()["files"]["reused"] == FILES and not world.log
    assert remapped.counts()["papers"]["unchanged"] == PAPERS  # the same mapping gives the same documents
    assert doc_of(store, "2023/0101")["title"].startswith("Clusterförderung Gesundheitswirtschaft")
