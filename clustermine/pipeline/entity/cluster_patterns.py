"""Patterns for cluster, network and programme names the gazetteer does not know (rule ``pattern:<name>``).

Why patterns: initiatives are founded faster than any list is kept, but they are named in a few fixed ways:
"Cluster X", "Kompetenzfeld X", "Netzwerk „X“", "Kunststoff-Netzwerk Franken", a made-up name with a place
("MikroNetz Dortmund"), "Förderprogramm „X“", "X-Wettbewerb". Their entities have no id.
"""

from __future__ import annotations

import re

from .compound_heads import sector_base
from .keys import fold_word, is_acronym, is_brand, is_cap, token_key
from .name_spans import breaks_name, followed_by_break, name_after, region_at
from .run import Run


def match_clusters(run: Run) -> None:
    """Add CLUSTER candidates after a trigger word ("Cluster", "Netzwerk", "Kompetenzzentrum", ...) and for
    made-up names followed by a place."""
    toks = run.toks
    for i, tok in enumerate(toks):
        if not tok.word or tok.jn:
            continue
        key = tok.key
        if tok.jp == "-":
            if key in ("netzwerk", "cluster", "initiativ"):
                _hyphen_network(run, i)
            continue
        if tok.jp:
            continue
        if key in ("cluster", "clusterinitiativ", "kompetenzfeld", "kompetenzfelder"):
            _designated_field(run, i, include_trigger=True)
        elif key in ("kompetenzzentrum", "kompetenzzentr"):
            _designated_field(run, i, include_trigger=False)
        elif key in ("netzwerk", "initiativ"):
            _named_network(run, i)
        elif i + 1 in run.starts and region_at(run, i + 1) and is_brand(tok) and not is_acronym(tok.text):
            _brand_with_place(run, i)


def _designated_field(run: Run, i: int, *, include_trigger: bool) -> None:
    """'Cluster Energietechnik', 'Kompetenzfeld X'; 'Kompetenzzentrum Mechatronik' -> the field Mechatronik."""
    found = name_after(run, i + 1, max_words=4)
    if found is None:
        return
    e, quoted = found
    s = i + 1
    known = [c for c in run.at(s) if c.kind == "CLUSTER" and c.prio <= 1 and c.e == e]
    if known:
        for c in known:
            c.need = ""  # the trigger word is the support a generic field name needs
        return
    words = [t for t in run.toks[s:e] if t.word]
    inside = [c for k in range(s, e) for c in run.at(k) if c.kind in ("CLUSTER", "PROGRAM", "ORG") and c.prio == 0
              and c.e <= e]
    if inside and (len(words) == 1 or any(c.kind != "CLUSTER" for c in inside)):
        return  # a known name inside is the gazetteer's
    if any(c.kind == "REGION" and c.prio == 0 and c.e == e for c in run.at(s)):
        return  # "Cluster Ruhr" names a place, not a field
    plain_single = len(words) == 1 and not quoted and not is_brand(words[0])
    if plain_single and sector_base(fold_word(words[0].text)) is None \
            and (include_trigger or not followed_by_break(run, e)):
        return  # "im Cluster Unternehmen gewinnen" is no name
    name = run.clean(s, e)
    if not include_trigger:
        run.add(s, e, "CLUSTER", "pattern:field", 2, canonical=name)
        return
    trigger = fold_word(run.toks[i].form)
    label = "Clusterinitiative" if "initiativ" in trigger else "Cluster" if trigger.startswith("cluster") \
        else "Kompetenzfeld"
    run.add(i, e, "CLUSTER", "pattern:cluster", 2, canonical=f"{label} {name}")


def _named_network(run: Run, i: int) -> None:
    """'Netzwerk „Leistungselektronik“' -> Netzwerk Leistungselektronik; 'Netzwerk SmartHealth.Ruhr' -> the name."""
    found = name_after(run, i + 1, max_words=4)
    if found is None:
        return
    e, quoted = found
    s = i + 1
    if any(c.kind in ("CLUSTER", "ORG", "PROGRAM") and c.prio == 0 for c in run.at(s)):
        return  # "Netzwerk surface.net": the gazetteer name stands alone
    name = run.clean(s, e)
    trigger = "Netzwerk" if run.toks[i].key == "netzwerk" else "Initiative"
    if quoted:
        run.add(i, e, "CLUSTER", "pattern:network", 2, canonical=f"{trigger} {name}")
    elif is_brand(run.toks[s]):
        run.add(s, e, "CLUSTER", "pattern:network", 2, canonical=name)


def _hyphen_network(run: Run, i: int) -> None:
    """'Kunststoff-Netzwerk Franken', 'Automotive-Cluster Region Stuttgart'."""
    first = run.compound_start(i)
    if not is_cap(run.toks[first]) or i + 1 >= len(run.toks):
        return
    found = name_after(run, i + 1, max_words=3)
    if found is None:
        return
    e, _ = found
    if not (region_at(run, i + 1) or is_brand(run.toks[i + 1]) or followed_by_break(run, e)):
        return
    run.add(first, e, "CLUSTER", "pattern:network", 2, canonical=run.clean(first, e))


#: Endings of made-up names that are organisations, not clusters ("TechnologieZentrum", "BioPark").
_ORG_LIKE_HEADS = ("zentrum", "zentrums", "institut", "instituts", "gmbh", "bank", "agentur", "verband", "park",
                   "parks", "campus")


def _brand_with_place(run: Run, i: int) -> None:
    """A made-up name followed by a place: 'MikroNetz Dortmund', 'KunststoffRegion Südwestfalen'."""
    tok = run.toks[i]
    if tok.jp or tok.jn or fold_word(tok.form).endswith(_ORG_LIKE_HEADS) or breaks_name(run, i + 1):
        return
    end = region_at(run, i + 1)
    if not end or any(c.prio == 0 or c.kind != "CLUSTER" for c in run.at(i)):
        return
    if is_acronym(run.toks[i + 1].text):
        return  # "GemO BW", "NatSchG BW": abbreviations of laws
    # a guess, so it needs a sentence about clusters ("... das Clustermanagement der KunststoffRegion Südwestfalen")
    run.add(i, end, "CLUSTER", "pattern:brand", 2, canonical=run.clean(i, end), need="weak")


#: Words after which a quoted or made-up name is a programme ("Förderprogramm „Klimaschutz mit System“").
_PROGRAM_TRIGGERS = frozenset(token_key(w) for w in (
    "Programm", "Förderprogramm", "Landesprogramm", "Bundesprogramm", "Wettbewerb", "Förderaufruf",
    "Förderwettbewerb", "Landeswettbewerb", "Förderlinie"))


def match_programs(run: Run) -> None:
    """Add PROGRAM candidates after a trigger word and for "X-Wettbewerb", "X-Fonds", "X-Programm"."""
    toks = run.toks
    for i, tok in enumerate(toks):
        if not tok.word:
            continue
        if not tok.jp and not tok.jn and tok.key in _PROGRAM_TRIGGERS:
            found = name_after(run, i + 1, max_words=5)
            if found is None:
                continue
            e, quoted = found
            s = i + 1
            if any(c.prio == 0 for c in run.at(s)):
                continue
            if quoted or is_brand(toks[s]):
                run.add(s, e, "PROGRAM", "pattern:program", 2, canonical=run.clean(s, e))
        elif tok.jp == "-" and not tok.jn and tok.key in ("wettbewerb", "fond", "programm"):
            first = run.compound_start(i)
            parts = toks[first:i]
            if not parts or not is_cap(parts[0]) or not (region_at(run, first) or any(is_brand(t) for t in parts)):
                continue
            if any(c.prio == 0 and c.kind == "PROGRAM" for c in run.at(first)):
                continue  # "Ziel2.NRW-Wettbewerbe": the programme is known
            surface = run.clean(first, i + 1)
            canonical = surface if tok.key == "fond" else re.sub(r"(?<=[a-z])(e|en|n|s|es)$", "", surface)
            if tok.key == "programm":
                canonical = re.sub(r"(?i)programm\w*$", "Programm", canonical)
            elif tok.key == "wettbewerb":
                canonical = re.sub(r"(?i)wettbewerb\w*$", "Wettbewerb", canonical)
            run.add(first, i + 1, "PROGRAM", "pattern:program", 2, canonical=canonical)
