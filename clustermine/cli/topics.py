"""The ``topics`` command: the corpus's topic model, fitted on first use and kept in the corpus.

Which model is shown: options that shape the model (``--k``, ``--method``, ``--keep-places``,
``--keep-boilerplate``, ``--query`` and the search filters) describe it completely, and a model with exactly
those settings is fitted unless the stored one has them. Without such options the stored model is shown (one
with the defaults is fitted the first time), and ``--refit`` fits the stored model's settings again on the
documents of today.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import click

from clustermine.cli.app import cli
from clustermine.cli.common import LazyProgress, Settings, emit_json, json_option
from clustermine.cli.search import build_filters, ensure_index, search_options

_CHART_SUFFIXES = (".png", ".svg", ".pdf")  # clustermine.charts.CHART_FORMATS, checked before any work


def _parse_k(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """``auto`` → 0 (choose by coherence), a number ≥ 2 → that number, not given → None."""
    if value is None:
        return None
    if value.strip().lower() == "auto":
        return 0
    try:
        number = int(value)
    except ValueError:
        raise click.BadParameter(f"must be a number of topics (2-100) or 'auto'. Got {value!r} instead.") from None
    if not 2 <= number <= 100:
        raise click.BadParameter(f"must be between 2 and 100 (or 'auto'). Got {number} instead.")
    return number


def _check_plot(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None and value.suffix.lower() not in _CHART_SUFFIXES:
        raise click.BadParameter(f"the chart file must end in {', '.join(_CHART_SUFFIXES)}. Got {str(value)!r}.")
    return value


@cli.command()
@click.option("--k", "k", callback=_parse_k, metavar="N|auto",
              help="Number of topics (default: auto, chosen by coherence among 3-15).")
@click.option("--method", type=click.Choice(["nmf", "lda"]), help="NMF on TF-IDF (default) or LDA on counts.")
@click.option("--keep-places", is_flag=True, help="Keep region and place names as terms (left out by default).")
@click.option("--keep-boilerplate", is_flag=True,
              help="Keep words that mark a document type (TOP, Vorlagen-Nr, Laufzeit; left out by default).")
@click.option("--query", help="Fit on the documents matching this search query (with the filters below).")
@search_options
@click.option("--refit", is_flag=True, help="Fit again, e.g. after adding documents (same settings by default).")
@click.option("--by-year", is_flag=True, help="Topic prevalence per year: a table and sparklines.")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), callback=_check_plot,
              help="With --by-year: save a stacked area chart (.png, .svg or .pdf).")
@click.option("--doc", "doc_id", help="The topic shares of one document (id or prefix).")
@click.option("--wait", type=click.FloatRange(0), default=0.0, help="Seconds to wait if another run is writing.")
@json_option
@click.pass_obj
def topics(settings: Settings, k: int | None, method: str | None, keep_places: bool, keep_boilerplate: bool,
           query: str | None, refit: bool, by_year: bool, plot: Path | None, doc_id: str | None, wait: float,
           as_json: bool, **filters: Any) -> None:
    """Topics of the corpus: a topic model (NMF or LDA) over nouns and noun phrases, kept in the corpus.

    The first run fits the model (the number of topics is chosen by coherence unless --k is given); later runs
    show the stored model and say when documents were added since. Each topic has a label from its top terms,
    its top terms with weights and its most representative documents.

    \b
    Example:
      clustermine topics
      clustermine topics --k 8 --method lda --json
      clustermine topics --by-year --plot topics.svg
      clustermine topics --doc 3f2a9c
      clustermine topics --refit
    """
    from clustermine.pipeline.topics import TopicSettings, load_topics

    if plot is not None:
        by_year = True
    if doc_id and by_year:
        raise click.UsageError("--doc and --by-year/--plot show different things; use one of them")
    chosen_filters = {name: value for name, value in filters.items() if value}  # the search_options given
    given = k is not None or method is not None or keep_places or keep_boilerplate or bool(query) \
        or bool(chosen_filters)
    with settings.store() as store:
        if doc_id:
            doc_id = store.resolve_id(doc_id)  # an unknown id fails before any fitting
        stored = load_topics(store)
        if given or stored is None:
            wanted = TopicSettings(method=method or "nmf", n_topics=k or None, keep_places=keep_places,
                                   keep_boilerplate=keep_boilerplate, query=query, filters=chosen_filters)
        else:
            wanted = stored.settings
        selection = _selection(settings, store, wanted)
        if refit or stored is None or stored.settings != wanted:
            if stored is not None and stored.settings != wanted and not refit and not settings.quiet:
                click.echo("Fitting a new model: the stored one was made with other settings "
                           f"({_describe_settings(stored.settings)}).", err=True)
            model = _fit(settings, store, wanted, selection, wait)
        else:
            model = stored
        status = _status(settings, store, model, selection)
        if doc_id:
            _show_document(store, model, doc_id, as_json)
        elif by_year:
            _show_by_year(store, model, status, plot, as_json, quiet=settings.quiet)
        else:
            _show_model(model, status, as_json)


# ----------------------------------------------------------------------------------------------- fitting


def _selection(settings: Settings, store: Any, wanted: Any) -> list[str] | None:
    """The ids of the documents the model is about: None for the whole corpus, else the query's matches."""
    if not wanted.selects:
        return None
    from clustermine.index import select_ids

    ensure_index(settings, store)
    return select_ids(store, wanted.query, filters=build_filters(dict(wanted.filters)))


def _fit(settings: Settings, store: Any, wanted: Any, selection: list[str] | None, wait: float) -> Any:
    from clustermine.pipeline.topics import fit_topics

    with LazyProgress(settings, "Counting terms") as counting, LazyProgress(settings, "Fitting topic models") as bar:

        def fitting(n: int) -> None:
            counting.finish()  # close the counting bar before the fitting bar starts below it
            bar.start(n)

        model = fit_topics(store, wanted, selection, on_count_start=counting.start, on_count=counting.advance,
                           on_fit_start=fitting, on_fit=bar.advance, wait=wait)
    if not settings.quiet:
        how = "chosen by coherence" if model.chosen_by == "coherence" else "as asked"
        click.echo(f"Fitted {model.settings.method.upper()} with {model.k} topics ({how}) on {model.n_docs} "
                   f"documents in {model.fit_seconds:.1f} s.", err=True)
    return model


def _status(settings: Settings, store: Any, model: Any, selection: list[str] | None) -> Any:
    from clustermine.pipeline.topics import model_status

    status = model_status(store, model, selection)
    if not settings.quiet:
        if status.new_ids:
            click.echo(f"Note: {len(status.new_ids)} documents were added since the model was fitted and are not "
                       "in it; run 'clustermine topics --refit' to include them.", err=True)
        if status.removed:
            click.echo(f"Note: {status.removed} documents of the model were removed from the corpus since; run "
                       "'clustermine topics --refit' to fit without them.", err=True)
        if status.outdated:
            click.echo("Note: the model was made with older term-counting rules; run 'clustermine topics --refit'.",
                       err=True)
    return status


def _describe_settings(wanted: Any) -> str:
    parts = [wanted.method.upper(), f"k={wanted.n_topics}" if wanted.n_topics else "k auto"]
    if wanted.keep_places:
        parts.append("places kept")
    if wanted.keep_boilerplate:
        parts.append("boilerplate kept")
    if wanted.selects:
        parts.append(_describe_selection(wanted))
    return ", ".join(parts)


def _describe_selection(wanted: Any) -> str:
    """The selection as the options that make it: ``--query 'Logistik'; --type council_paper; --years 2000-2010``."""
    options = {param.name: param.opts[0] for param in search_options(lambda: None).__click_params__}
    parts = [f"--query {wanted.query!r}"] if wanted.query else []
    for name, value in wanted.filters.items():
        if name == "years":
            shown = "-".join(map(str, value))
        else:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else ""
        parts.append(f"{options.get(name, name)} {shown}".rstrip())
    return "; ".join(parts) or "all documents"


# ------------------------------------------------------------------------------------------------ output


def _show_model(model: Any, status: Any, as_json: bool) -> None:
    if as_json:
        emit_json({"model": model.summary(), "status": status.to_dict(),
                   "topics": [t.to_dict() for t in model.topics]})
        return
    width = shutil.get_terminal_size((100, 20)).columns
    how = "chosen by coherence" if model.chosen_by == "coherence" else "as asked"
    click.echo(f"{model.k} topics ({model.settings.method.upper()}, {how}) on {model.n_docs} documents, "
               f"{model.n_terms} terms; fitted {model.created.replace('T', ' ')[:16]} UTC")
    if model.settings.selects:
        click.echo(f"Documents: {_describe_selection(model.settings)}")
    if len(model.k_scores) > 1:
        scores = "  ".join(("*" if s["k"] == model.k else "") + f"{s['k']}: {s['score']:.2f}" for s in model.k_scores)
        click.echo(_cut(f"Score by k (coherence × diversity, * chosen): {scores}", width))
    for topic in model.topics:
        click.echo()
        head = f"{topic.id:>2}  {topic.label}"
        tail = f"share {topic.share:.0%} · {topic.n_documents} documents"
        click.echo(click.style(head, bold=True) + " " * max(2, width - len(head) - len(tail) - 1) + tail)
        terms = " · ".join(f"{t.label} {t.weight:.3f}" for t in topic.terms[:10])
        click.echo(_cut(f"    {terms}", width))
        for doc in topic.documents[:3]:
            line = f"    {doc.year or '----'}  {doc.title or '(untitled)'}"
            suffix = f"  {doc.share:.2f}  {doc.id[:8]}"
            click.echo(_cut(line, width - len(suffix)).ljust(width - len(suffix)) + suffix)


def _show_document(store: Any, model: Any, doc_id: str, as_json: bool) -> None:
    from clustermine.pipeline.topics import document_topics

    result = document_topics(store, model, doc_id)
    labels = {t.id: t.label for t in model.topics}
    if as_json:
        emit_json({"id": result.id, "title": result.title, "year": result.year, "in_model": result.in_model,
                   "topics": [{"topic": t, "label": labels.get(t), "share": s} for t, s in result.shares]})
        return
    click.echo(f"{result.title or '(untitled)'} ({result.year or 'undated'}) · id {result.id}")
    if not result.in_model:
        click.echo("This document was added after the model was fitted; its shares are estimated with the stored "
                   "topics ('clustermine topics --refit' includes it in the model).")
    if not result.shares:
        click.echo("No topic: the document has none of the model's terms.")
        return
    width = shutil.get_terminal_size((100, 20)).columns
    for topic, share in result.shares:
        if share < 0.01:
            continue
        bar = "█" * max(1, round(share * 20))
        click.echo(_cut(f"{topic:>3}  {share:>4.0%}  {bar:<20}  {labels.get(topic, '')}", width))


def _show_by_year(store: Any, model: Any, status: Any, plot: Path | None, as_json: bool, *, quiet: bool) -> None:
    from clustermine.pipeline.topics import prevalence_by_year

    prevalence = prevalence_by_year(store, model)
    if not prevalence.years:
        raise click.ClickException("none of the model's documents has a date, so there is nothing to show by year")
    if plot is not None:
        from clustermine.charts import stacked_area_chart

        series = {f"{t.id} {t.label}": [row[t.id - 1] * 100 for row in prevalence.weight] for t in model.topics}
        path = stacked_area_chart(
            [str(y) for y in prevalence.years], series, title="Topics by year",
            y_label="mean topic share of the year's documents (%)", output=plot,
            docs_per_x=list(prevalence.documents),
            note=f"{model.settings.method.upper()} topic model, {model.k} topics, {model.n_docs} documents.")
        if not quiet:
            click.echo(f"Chart written to {path}", err=True)
    if as_json:
        emit_json({
            "model": model.summary(),
            "status": status.to_dict(),
            "topics": [{"id": t.id, "label": t.label} for t in model.topics],
            "undated": prevalence.undated,
            "years": [{"year": y, "documents": n, "weight": list(w), "dominant": list(d)}
                      for y, n, w, d in zip(prevalence.years, prevalence.documents, prevalence.weight,
                                            prevalence.dominant, strict=True)],
        })
        return
    _print_by_year(model, prevalence)


def _print_by_year(model: Any, prevalence: Any) -> None:
    from clustermine.charts import sparkline

    years = prevalence.years
    click.echo(f"Topic prevalence by year: mean share of the year's documents ({sum(prevalence.documents)} dated "
               f"documents, {years[0]}–{years[-1]}; {prevalence.undated} undated left out)")
    click.echo()
    header = "YEAR  DOCS" + "".join(f"{'T' + str(t.id):>5}" for t in model.topics)
    click.echo(header)
    for year, n, row in zip(years, prevalence.documents, prevalence.weight, strict=True):
        click.echo(f"{year}  {n:>4}" + "".join(f"{share:>5.0%}" for share in row))
    span = list(range(years[0], years[-1] + 1))
    index = {year: i for i, year in enumerate(years)}

    def line(values: tuple[tuple[float, ...], ...], t: int) -> str:
        return sparkline([values[index[y]][t] if y in index else None for y in span])

    width = shutil.get_terminal_size((100, 20)).columns
    label_width = max(12, min(40, width - 2 * (len(span) + 7) - 6))
    click.echo()
    click.echo(f"{'':>2}  {'TOPIC':<{label_width}}  {'SHARE':<{len(span) + 5}}  DOCUMENTS (main topic)")
    for topic in model.topics:
        t = topic.id - 1
        mean_weight = sum(n * row[t] for n, row in zip(prevalence.documents, prevalence.weight, strict=True))
        mean_docs = sum(n * row[t] for n, row in zip(prevalence.documents, prevalence.dominant, strict=True))
        total = sum(prevalence.documents)
        click.echo(f"{topic.id:>2}  {_cut(topic.label, label_width):<{label_width}}  "
                   f"{line(prevalence.weight, t)} {mean_weight / total:>4.0%}  "
                   f"{line(prevalence.dominant, t)} {mean_docs / total:>4.0%}")
    click.echo(f"\nSHARE: the topic's mean share of the year's documents; DOCUMENTS: the share of the year's "
               "documents whose main topic it is.\nOne character per year from "
               f"{years[0]} to {years[-1]} (blank: no documents), each line on its own scale; percentages over all "
               "years.")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"
