"""A synthetic German corpus with planted drift, and the ground truth to measure trend counters and topic models.

Real archives cannot tell us whether a vocabulary trend is right: nobody knows how often "Kompetenzfeld" was
really written in 2003. This generator writes plain-text council papers, minutes, project descriptions,
conference reports and studies (1995-2025 by default) whose drift is planted from simple declarative specs, and
returns (and saves as ``truth.json``) exactly what it wrote:

* **Term curves.** Each :class:`TermSpec` gives a piecewise-linear rate per 10,000 tokens by year
  (:class:`Curve`). A year's occurrences are ``round(rate * tokens / 10_000)``, at least one whenever the rate is
  positive, so a term's first year is exact. Terms are written in inflected forms (``Kompetenzfelder``,
  ``Kompetenzfeldern``) and in compounds (``Clusterpolitik``, ``Branchencluster``, ``Cluster-Wettbewerb``), so
  a counter that lemmatises and splits compounds can be checked against a plain string counter.
* **Topics.** Each :class:`TopicSpec` has 15-25 characteristic nouns and a prevalence curve. Every document has
  a dominant topic (and sometimes a minor second one); topic nouns fill the noun slots of filler sentences that
  all topics share, so topics differ only by their planted word distribution.
* **Doctypes and dates.** Every document starts with a title line, names its genre on the next line
  (``Beschlussvorlage``, ``Projektbeschreibung``, ``Tagungsbericht``, ...) and carries its date the way
  clustermine's date finder reads it (``Datum: 14.03.2007``, ``Laufzeit: 03/2007 – 02/2010``, ``Stand: März
  2007``, a session or event "am 14. März 2007"). Doctypes are assigned with exact overall proportions.
* **New terms.** Terms marked ``new`` (``Reallabor``, ``Sprunginnovation``, ``Transformationsmanagement``) are
  absent before the first year their curve is positive; the truth lists that year.

**Tokens.** A token is a maximal run of letters and digits, with hyphenated words as one token
(``Cluster-Wettbewerb``, ``IT-Sicherheit``): exactly ``re.findall(r"[^\\W_]+(?:-[^\\W_]+)*", text)``
(:data:`TOKEN_PATTERN`). Every count in the truth (tokens per document and year, occurrences by form and by
compound) is made with that pattern over the files as written, title and header lines included. A compound
occurrence of a term is a token that contains the term (case-insensitive) but is not one of its forms; so
``Clustermanagement``, itself a planted term, also counts as a compound of ``Cluster``.

Layout: documents go to ``OUT/docs/doc-NNNN.txt`` and the truth to ``OUT/truth.json`` beside that folder, so
that ``clustermine add OUT/docs`` does not read the truth file as a document (it reads JSON files too).
The output is byte-for-byte the same for the same arguments: one ``random.Random(seed)``, fixed iteration order.

Example::

    python -m tools.driftgen /tmp/drift --seed 0 --docs-per-year 6
    clustermine --home /tmp/drift-home add /tmp/drift/docs
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from pathlib import Path
from random import Random
from typing import Any

__all__ = [
    "DEFAULT_DOCTYPES",
    "DEFAULT_TERMS",
    "DEFAULT_TOPICS",
    "TOKEN_PATTERN",
    "Curve",
    "DocTruth",
    "DriftTruth",
    "TermSpec",
    "TermTruth",
    "TermYear",
    "TopicSpec",
    "TopicTruth",
    "generate",
    "main",
    "tokenize",
]

#: What a token is, for every count in the truth (see the module docstring).
TOKEN_PATTERN = r"[^\W_]+(?:-[^\W_]+)*"
_TOKEN = re.compile(TOKEN_PATTERN)
#: Rates in term curves are per this many tokens.
PER_TOKENS = 10_000
TRUTH_VERSION = 1
_SLOT = re.compile(r"\{([A-Z])\}")


def tokenize(text: str) -> list[str]:
    """The tokens of ``text`` as the truth counts them: letters and digits, hyphenated words kept whole."""
    return _TOKEN.findall(text)


# --------------------------------------------------------------------------------------------------------
# specs


@dataclass(frozen=True)
class Curve:
    """A value per year, piecewise linear between ``points`` ``((year, value), ...)`` and flat beyond them.

    Term curves give a rate per 10,000 tokens, topic curves a relative weight. Declarative on purpose: a test or
    benchmark can state its expectation from the same points the generator planted.
    """

    points: tuple[tuple[int, float], ...]

    def __post_init__(self) -> None:
        points = tuple((int(year), float(value)) for year, value in self.points)
        if not points:
            raise ValueError("Curve points must not be empty. Got () instead.")
        years = [year for year, _ in points]
        if years != sorted(set(years)):
            raise ValueError(f"Curve years must be strictly increasing. Got {years} instead.")
        if any(value < 0 or not math.isfinite(value) for _, value in points):
            raise ValueError(f"Curve values must be finite and >= 0. Got {points} instead.")
        object.__setattr__(self, "points", points)

    def at(self, year: int) -> float:
        """The value in ``year``, interpolated linearly between the points."""
        points = self.points
        if year <= points[0][0]:
            return points[0][1]
        for (y0, v0), (y1, v1) in pairwise(points):
            if year <= y1:
                return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
        return points[-1][1]

    def first_positive(self, years: Iterable[int]) -> int | None:
        """The first of ``years`` in which the value is above zero (None if it never is)."""
        return next((year for year in sorted(years) if self.at(year) > 0), None)


def _curve(*points: tuple[int, float]) -> Curve:
    return Curve(tuple(points))


@dataclass(frozen=True)
class TermSpec:
    """A planted term: its forms, the compounds it hides in, the sentences that carry it, and its rate curve.

    ``carriers`` are German sentences each containing exactly one token with the lemma in it, which must be one of
    ``forms`` or ``compounds``; they may hold slots (``{T}`` a topic noun of the document, ``{R}`` its region,
    ``{S}`` its town). A form occurrence is written by a carrier with a form, a compound occurrence by one with a
    compound. ``compound_ratio`` is the number of compound occurrences per form occurrence. ``new`` marks an
    emerging term whose first year the truth reports.
    """

    lemma: str
    forms: tuple[str, ...]
    carriers: tuple[str, ...]
    curve: Curve
    compounds: tuple[str, ...] = ()
    compound_ratio: float = 0.0
    new: bool = False

    def __post_init__(self) -> None:
        if not self.forms or self.forms[0] != self.lemma:
            raise ValueError(f"TermSpec forms must start with the lemma {self.lemma!r}. Got {self.forms} instead.")
        if self.compound_ratio < 0 or (self.compound_ratio > 0 and not self.compounds):
            raise ValueError(
                f"TermSpec {self.lemma!r}: compound_ratio must be >= 0 and needs compounds. "
                f"Got {self.compound_ratio} with compounds {self.compounds} instead."
            )
        key = self.lemma.lower()
        for word in self.forms + self.compounds:
            if len(tokenize(word)) != 1 or key not in word.lower():
                raise ValueError(f"TermSpec {self.lemma!r}: {word!r} must be one token containing the lemma.")
        used: set[str] = set()
        for carrier in self.carriers:
            hits = [token for token in tokenize(carrier) if key in token.lower()]
            if len(hits) != 1 or hits[0] not in self.forms + self.compounds:
                raise ValueError(
                    f"TermSpec {self.lemma!r}: each carrier must hold exactly one of its forms or compounds. "
                    f"Got {hits} in {carrier!r} instead."
                )
            used.add(hits[0])
        missing = [word for word in self.forms + self.compounds if word not in used]
        if missing:
            raise ValueError(f"TermSpec {self.lemma!r}: no carrier sentence writes {missing}; add one for each.")

    def carrier_word(self, carrier: str) -> str:
        """The form or compound that ``carrier`` writes."""
        key = self.lemma.lower()
        return next(token for token in tokenize(carrier) if key in token.lower())


@dataclass(frozen=True)
class TopicSpec:
    """A planted topic: its characteristic nouns (most characteristic first) and its prevalence curve.

    Words are drawn with Zipf-like weights in list order, so the first words dominate as in real topics.
    """

    name: str
    words: tuple[str, ...]
    curve: Curve

    def __post_init__(self) -> None:
        if not 5 <= len(self.words) <= 40:
            raise ValueError(f"TopicSpec {self.name!r} must have 5-40 words. Got {len(self.words)} instead.")
        bad = [word for word in self.words if len(tokenize(word)) != 1]
        if bad or len(set(self.words)) != len(self.words):
            raise ValueError(f"TopicSpec {self.name!r}: words must be distinct single tokens. Got {bad} instead.")


# --------------------------------------------------------------------------------------------------------
# default specs: planted terms

DEFAULT_TERMS: tuple[TermSpec, ...] = (
    TermSpec(
        lemma="Kompetenzfeld",
        forms=("Kompetenzfeld", "Kompetenzfelder", "Kompetenzfeldern", "Kompetenzfeldes"),
        compounds=("Kompetenzfeldanalyse", "Kompetenzfeldansatz"),
        compound_ratio=0.25,
        curve=_curve((1995, 40), (2005, 40), (2015, 2), (2025, 1)),
        carriers=(
            "Das Kompetenzfeld {T} gehört zu den tragenden Säulen der regionalen Wirtschaftsstruktur.",
            "Für das Kompetenzfeld {T} wurde ein eigener Arbeitskreis mit Unternehmen und Hochschulen eingerichtet.",
            "Die Region hat sich auf wenige Kompetenzfelder verständigt, darunter {T} und {T}.",
            "Die ausgewählten Kompetenzfelder sollen bei der Vergabe von Landesmitteln bevorzugt werden.",
            "In den Kompetenzfeldern der Region arbeiten überdurchschnittlich viele kleine und mittlere Betriebe.",
            "Zwischen den einzelnen Kompetenzfeldern gibt es bislang nur wenige gemeinsame Aktivitäten.",
            "Die Abgrenzung des Kompetenzfeldes {T} beruht auf der Beschäftigtenstatistik des Landes.",
            "Der Sprecherkreis des Kompetenzfeldes trifft sich viermal im Jahr.",
            "Die Kompetenzfeldanalyse zeigt, dass {T} zu den Stärken des Standorts zählt.",
            "Der Kompetenzfeldansatz wird von den Kammern ausdrücklich unterstützt.",
        ),
    ),
    TermSpec(
        lemma="Cluster",
        forms=("Cluster", "Clusters", "Clustern"),
        compounds=(
            "Clusterpolitik", "Clusterinitiative", "Clusterförderung", "Clusterstrategie",
            "Branchencluster", "Regionalcluster", "Cluster-Wettbewerb",
        ),
        compound_ratio=0.8,
        curve=_curve((1995, 2), (2010, 25), (2025, 18)),
        carriers=(
            "Der Cluster {T} umfasst inzwischen mehr als zweihundert Unternehmen und Forschungseinrichtungen.",
            "Ein regionaler Cluster entsteht nicht auf dem Reißbrett, sondern aus gewachsenen Verflechtungen.",
            "Die Cluster sollen stärker mit den Hochschulen der Region verknüpft werden.",
            "Die Entwicklung des Clusters hängt wesentlich von der Verfügbarkeit qualifizierter Fachkräfte ab.",
            "Die Unternehmen des Clusters haben eine gemeinsame Ausbildungsinitiative vereinbart.",
            "In den Clustern der Region sind die Beschäftigtenzahlen zuletzt gestiegen.",
            "Zwischen den Clustern {T} und {T} bestehen zahlreiche Querbezüge.",
            "Die Clusterpolitik des Landes setzt auf wenige, international sichtbare Schwerpunkte.",
            "Die Clusterinitiative {T} wird von einem Lenkungskreis aus Wirtschaft und Wissenschaft begleitet.",
            "Im Rahmen der Clusterförderung können Netzwerkaktivitäten anteilig finanziert werden.",
            "Die Clusterstrategie der Region wird derzeit fortgeschrieben.",
            "Der Branchencluster {T} zählt zu den größten seiner Art in Deutschland.",
            "Ein Regionalcluster lebt von der Bereitschaft der Unternehmen, Wissen zu teilen.",
            "Mit einem Beitrag zum Thema {T} beteiligt sich die Region am landesweiten Cluster-Wettbewerb.",
        ),
    ),
    TermSpec(
        lemma="Clustermanagement",
        forms=("Clustermanagement", "Clustermanagements"),
        curve=_curve((2002, 0), (2003, 2), (2010, 20), (2025, 20)),
        carriers=(
            "Das Clustermanagement koordiniert die Zusammenarbeit zwischen Unternehmen, Hochschulen und Kammern.",
            "Das Clustermanagement {T} hat im laufenden Jahr zahlreiche Kooperationen angestoßen.",
            "Für das Clustermanagement stehen zwei Vollzeitstellen zur Verfügung.",
            "Die Verwaltung schlägt vor, das Clustermanagement der regionalen Entwicklungsgesellschaft zu übertragen.",
            "Die Finanzierung des Clustermanagements ist bis auf Weiteres gesichert.",
            "Aufgabe des Clustermanagements ist es, neue Kooperationen im Bereich {T} anzustoßen.",
        ),
    ),
    TermSpec(
        lemma="Resilienz",
        forms=("Resilienz",),
        compounds=("Resilienzstrategie", "Krisenresilienz"),
        compound_ratio=0.3,
        curve=_curve((2014, 0), (2015, 2), (2025, 35)),
        carriers=(
            "Die Resilienz der regionalen Wirtschaft hat sich in den vergangenen Krisen als begrenzt erwiesen.",
            "Gefragt ist vor allem die Resilienz der Lieferbeziehungen im Bereich {T}.",
            "Maßnahmen zur Stärkung der Resilienz sollen künftig Vorrang erhalten.",
            "Resilienz wird zunehmend als Ziel der regionalen Strukturpolitik verstanden.",
            "Die Frage nach der Resilienz kleiner Betriebe stand im Mittelpunkt der Aussprache.",
            "Die Resilienzstrategie des Landes nennt {T} als besonders verwundbaren Bereich.",
            "Zur Krisenresilienz der Betriebe liegen bislang kaum belastbare Daten vor.",
        ),
    ),
    TermSpec(
        lemma="Nachhaltigkeit",
        forms=("Nachhaltigkeit",),
        compounds=("Nachhaltigkeitsstrategie", "Nachhaltigkeitszielen"),
        compound_ratio=0.3,
        curve=_curve((1995, 3), (2025, 30)),
        carriers=(
            "Nachhaltigkeit ist als Querschnittsziel in allen Förderaufrufen verankert.",
            "Die Unternehmen im Bereich {T} messen der Nachhaltigkeit wachsende Bedeutung bei.",
            "Kriterien der Nachhaltigkeit fließen in die Bewertung der eingereichten Anträge ein.",
            "Wirtschaftliche Stärke und Nachhaltigkeit werden nicht mehr als Gegensätze gesehen.",
            "Besonderes Augenmerk gilt der Nachhaltigkeit der geschaffenen Strukturen.",
            "Die Nachhaltigkeitsstrategie der Kommune gibt hierfür den Rahmen vor.",
            "Die Maßnahmen müssen mit den Nachhaltigkeitszielen des Landes vereinbar sein.",
        ),
    ),
    TermSpec(
        lemma="Wirtschaftsförderung",
        forms=("Wirtschaftsförderung",),
        compounds=("Wirtschaftsförderungsgesellschaft", "Wirtschaftsförderungsausschuss"),
        compound_ratio=0.4,
        curve=_curve((1995, 15), (2025, 15)),
        carriers=(
            "Die kommunale Wirtschaftsförderung begleitet ansiedlungswillige Unternehmen vom ersten Kontakt an.",
            "Die Wirtschaftsförderung steht in engem Austausch mit den Betrieben im Bereich {T}.",
            "Nach Einschätzung der Wirtschaftsförderung ist die Nachfrage nach Gewerbeflächen ungebrochen.",
            "Zu den Aufgaben der Wirtschaftsförderung gehören Bestandspflege, Ansiedlung und Standortmarketing.",
            "Die Wirtschaftsförderung wird gebeten, dem Ausschuss regelmäßig zu berichten.",
            "Die Wirtschaftsförderungsgesellschaft hat hierzu ein eigenes Beratungsangebot entwickelt.",
            "Der Wirtschaftsförderungsausschuss wird über den Fortgang unterrichtet.",
        ),
    ),
    TermSpec(
        lemma="Reallabor",
        forms=("Reallabor", "Reallabore", "Reallaboren", "Reallabors"),
        new=True,
        curve=_curve((2018, 0), (2019, 6), (2025, 15)),
        carriers=(
            "Im Reallabor {T} werden neue Lösungen unter realen Bedingungen erprobt.",
            "Das Reallabor soll zeigen, wie Unternehmen und Verwaltung gemeinsam lernen können.",
            "Das Land fördert mehrere Reallabore, eines davon in der Region {R}.",
            "Die Erfahrungen aus den Reallaboren fließen in die Landesstrategie ein.",
            "Die Ergebnisse des Reallabors werden öffentlich zugänglich gemacht.",
        ),
    ),
    TermSpec(
        lemma="Sprunginnovation",
        forms=("Sprunginnovation", "Sprunginnovationen"),
        new=True,
        curve=_curve((2019, 0), (2020, 4), (2025, 8)),
        carriers=(
            "Die Förderung von Sprunginnovationen im Bereich {T} erfordert einen langen Atem.",
            "Ob daraus eine Sprunginnovation entsteht, lässt sich heute noch nicht absehen.",
            "Die Region möchte sich als Standort für Sprunginnovationen profilieren.",
        ),
    ),
    TermSpec(
        lemma="Transformationsmanagement",
        forms=("Transformationsmanagement", "Transformationsmanagements"),
        new=True,
        curve=_curve((2020, 0), (2021, 5), (2025, 12)),
        carriers=(
            "Das Transformationsmanagement unterstützt Betriebe im Bereich {T} beim Umbau ihrer Geschäftsmodelle.",
            "Für das Transformationsmanagement wurden zusätzliche Personalstellen geschaffen.",
            "Die Aufgaben des Transformationsmanagements sind mit den Kammern abgestimmt.",
        ),
    ),
)  # fmt: skip

# --------------------------------------------------------------------------------------------------------
# default specs: topics

DEFAULT_TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(
        name="Gesundheitswirtschaft",
        words=(
            "Gesundheitswirtschaft", "Medizintechnik", "Kliniken", "Pflege", "Telemedizin", "Medizinprodukte",
            "Krankenhäuser", "Diagnostik", "Rehabilitation", "Biotechnologie", "Gesundheitsversorgung",
            "Medizininformatik", "Pflegeeinrichtungen", "Arzneimittel", "Universitätsklinikum", "Altenpflege",
            "Labordiagnostik", "Patientenversorgung", "Pharmaindustrie", "Hilfsmittel",
        ),
        curve=_curve((1995, 1.0), (2025, 1.2)),
    ),
    TopicSpec(
        name="Logistik",
        words=(
            "Logistik", "Hafen", "Güterverkehr", "Binnenhafen", "Containerterminal", "Spedition", "Intralogistik",
            "Schienengüterverkehr", "Binnenschifffahrt", "Seehafen", "Güterumschlag", "Logistikdienstleister",
            "Hinterlandverkehr", "Distributionszentrum", "Kontraktlogistik", "Lagerflächen", "Luftfracht",
            "Warenströme", "Umschlaganlagen", "Stückgut",
        ),
        curve=_curve((1995, 1.4), (2025, 1.0)),
    ),
    TopicSpec(
        name="Energie",
        words=(
            "Energie", "Wasserstoff", "Netzausbau", "Windenergie", "Photovoltaik", "Stromnetz", "Elektrolyse",
            "Energiewende", "Energiespeicher", "Fernwärme", "Energieeffizienz", "Brennstoffzellen", "Stadtwerke",
            "Kraftwerke", "Offshore-Windparks", "Erdgas", "Versorgungssicherheit", "Netzbetreiber",
            "Wärmepumpen", "Solarenergie",
        ),
        curve=_curve((1995, 1.0), (2005, 0.8), (2025, 1.6)),
    ),
    TopicSpec(
        name="Automobil",
        words=(
            "Automobilindustrie", "Zulieferer", "Elektromobilität", "Fahrzeugbau", "Antriebstechnik",
            "Batteriezellen", "Karosseriebau", "Nutzfahrzeuge", "Verbrennungsmotor", "Ladeinfrastruktur",
            "Fahrzeugelektronik", "Leichtbau", "Automobilhersteller", "Antriebsstrang", "Motorenwerk",
            "Zulieferindustrie", "Fahrassistenzsysteme", "Kfz-Gewerbe", "Getriebebau", "Mobilitätswende",
        ),
        curve=_curve((1995, 1.5), (2015, 1.2), (2025, 0.8)),
    ),
    TopicSpec(
        name="Digitalisierung",
        words=(
            "Digitalisierung", "Software", "Rechenzentrum", "Breitband", "Glasfaser", "Cloud", "Cybersicherheit",
            "Datenplattform", "Softwareentwicklung", "IT-Sicherheit", "KI-Anwendungen", "Mobilfunk",
            "Informationstechnik", "Digitalwirtschaft", "E-Government", "Onlinedienste", "Sensorik",
            "Rechenleistung", "Plattformökonomie", "Start-ups",
        ),
        curve=_curve((1995, 0.3), (2010, 0.8), (2025, 2.0)),
    ),
)  # fmt: skip

#: Doctype proportions (clustermine's doctype names), assigned exactly over the whole corpus.
DEFAULT_DOCTYPES: tuple[tuple[str, float], ...] = (
    ("council_paper", 0.35),
    ("minutes", 0.15),
    ("project_description", 0.2),
    ("conference_report", 0.1),
    ("report", 0.2),
)

# --------------------------------------------------------------------------------------------------------
# filler: shared by all topics; {T} topic noun, {R} region, {S} town, {P} person, {Z} a count, {M} millions

_FILLER: tuple[str, ...] = (
    "Die Region {R} verfügt im Bereich {T} über eine gewachsene Unternehmenslandschaft.",
    "Die Verwaltung empfiehlt, die Zusammenarbeit mit den Hochschulen im Themenfeld {T} auszubauen.",
    "Vor allem kleine und mittlere Unternehmen aus dem Bereich {T} profitieren von kurzen Wegen zur Forschung.",
    "Für Aktivitäten zum Thema {T} stehen Mittel aus dem Europäischen Fonds für regionale Entwicklung bereit.",
    "Der Fachkräftebedarf in den Feldern {T} und {T} wird in den kommenden Jahren weiter steigen.",
    "Die Kammern haben zugesagt, die Aktivitäten im Themenfeld {T} fachlich zu begleiten.",
    "Mit dem Schwerpunkt {T} knüpft die Region an vorhandene Stärken an.",
    "Neue Arbeitsplätze entstehen vor allem dort, wo Betriebe aus den Bereichen {T} und {T} zusammenarbeiten.",
    "Die Gewerbeflächen am Standort {S} sollen vorrangig Unternehmen mit Bezug zu {T} angeboten werden.",
    "Bislang fehlt eine vollständige Übersicht über die Betriebe, die im Bereich {T} tätig sind.",
    "Aus Sicht der Verwaltung ist eine enge Abstimmung mit den Nachbarkommunen unerlässlich.",
    "Die Landesregierung hat angekündigt, die Förderung strukturschwacher Regionen fortzusetzen.",
    "Ein Lenkungskreis aus Wirtschaft, Wissenschaft und Verwaltung begleitet die Umsetzung.",
    "Die Ergebnisse sollen im Herbst im zuständigen Fachausschuss vorgestellt werden.",
    "Die Beschäftigung im verarbeitenden Gewerbe ist in der Region {R} seit Jahren rückläufig.",
    "Der Strukturwandel stellt die Region {R} vor erhebliche Herausforderungen.",
    "Zugleich eröffnen sich im Feld {T} neue Chancen für Gründungen und Ansiedlungen.",
    "Gründerinnen und Gründer mit Ideen rund um {T} finden im Technologiezentrum {S} günstige Büroflächen.",
    "Der Transfer von Wissen aus den Hochschulen in die Betriebe gilt als wichtiger Erfolgsfaktor.",
    "Die Kofinanzierung wird aus Mitteln des laufenden Haushalts bereitgestellt.",
    "Das regionale Entwicklungskonzept benennt {T} als eines der Handlungsfelder der kommenden Jahre.",
    "Entscheidend ist, dass die Akteure vor Ort die Aktivitäten dauerhaft tragen.",
    "Die Sichtbarkeit des Standorts {S} soll durch gemeinsames Marketing erhöht werden.",
    "Unternehmen aus dem Bereich {T} haben zunehmend Schwierigkeiten, offene Stellen zu besetzen.",
    "Mehrere Betriebe haben Interesse an einer Erweiterung ihrer Produktionsflächen signalisiert.",
    "Die Hochschule {S} bietet seit einigen Semestern einen Studiengang mit dem Schwerpunkt {T} an.",
    "Der Anteil wissensintensiver Dienstleistungen liegt in der Region {R} unter dem Landesdurchschnitt.",
    "Die Investitionen der Betriebe im Bereich {T} sind zuletzt deutlich gestiegen.",
    "Zahlreiche Beschäftigte pendeln täglich in die benachbarten Oberzentren.",
    "Ein wesentliches Ziel ist die bessere Vernetzung der Betriebe im Feld {T} mit der angewandten Forschung.",
    "Hierzu werden regelmäßige Unternehmerfrühstücke und Betriebsbesichtigungen angeboten.",
    "Die Verwaltung wird beauftragt, die erforderlichen Gespräche mit dem Land zu führen.",
    "Ohne zusätzliche Landesmittel lassen sich die geplanten Maßnahmen nicht umsetzen.",
    "Für die Felder {T}, {T} und {T} wurden jeweils eigene Arbeitsgruppen gebildet.",
    "Die Erfahrungen anderer Regionen zeigen, dass sich Erfolge meist erst nach mehreren Jahren einstellen.",
    "Die Nachfrage nach Weiterbildung im Bereich {T} übersteigt das vorhandene Angebot.",
    "Eine Gründungsoffensive soll jungen Unternehmen im Umfeld von {T} den Markteintritt erleichtern.",
    "Die Breite der Branchenstruktur gilt als Vorteil gegenüber stärker spezialisierten Standorten.",
    "Die Entwicklung im Bereich {T} wird von einem Beirat aus Unternehmen fachlich begleitet.",
    "Die Stadt {S} hat hierfür eine eigene Stabsstelle eingerichtet.",
    "Die Stadt {S} und die umliegenden Kreise stimmen ihre Ansiedlungspolitik eng miteinander ab.",
    "Die Fördermittel sollen gezielt dort eingesetzt werden, wo private Investitionen angestoßen werden.",
    "Ein Monitoring soll künftig zeigen, welche Wirkungen die Maßnahmen tatsächlich entfalten.",
    "Die Zahl der sozialversicherungspflichtig Beschäftigten im Bereich {T} ist seit dem Vorjahr gestiegen.",
    "Vor allem Betriebe mit Bezug zu {T} suchen nach gut erschlossenen Flächen.",
    "Auf einer Brachfläche in {S} soll ein Gewerbequartier für Betriebe aus dem Feld {T} entstehen.",
    "Viele Betriebe der Region sind eng in überregionale Wertschöpfungsketten eingebunden.",
    "Die Zusammenarbeit zwischen Wirtschaft und Wissenschaft ist in den letzten Jahren deutlich enger geworden.",
    "Die Kammern verweisen auf den hohen Bedarf an beruflicher Qualifizierung.",
    "Einzelne Unternehmen im Segment {T} haben bereits eigene Forschungsabteilungen aufgebaut.",
    "Auch die Themen {T} und {T} sollen in die Fortschreibung des Konzepts einbezogen werden.",
    "Die Verwaltung hält es für sinnvoll, die vorhandenen Angebote zu bündeln.",
    "Die regionale Entwicklungsgesellschaft übernimmt die Geschäftsstelle.",
    "Im Bereich {T} sind in der Region {R} rund {Z} Betriebe tätig.",
    "Insgesamt stehen für die kommenden drei Jahre rund {M} Millionen Euro zur Verfügung.",
    "Das Land beteiligt sich mit {M} Millionen Euro an den Kosten für das Technologiezentrum {S}.",
    "Nach Angaben der Kammer arbeiten in der Region {R} rund {Z} Beschäftigte im Feld {T}.",
    "Besonders gefragt sind Fachkräfte mit Kenntnissen in {T} und {T}.",
    "Die Nähe zu Abnehmern aus dem Bereich {T} wird von den befragten Betrieben als Standortvorteil genannt.",
    "Eine Arbeitsgruppe prüft, wie sich Angebote zu {T} mit der Ausbildung an den Berufskollegs verbinden lassen.",
    "Im Vergleich mit anderen Regionen schneidet {R} bei den Ausgaben für Forschung unterdurchschnittlich ab.",
    "Die Verkehrsanbindung des Standorts {S} wird von den Unternehmen überwiegend positiv bewertet.",
    "Im Bereich {T} bestehen bereits enge Kontakte zu Partnern in den Niederlanden und in Belgien.",
    "Die Leitlinien der Landesregierung sehen eine stärkere Bündelung der Förderung vor.",
)

#: A few sentences per doctype, shared by all topics: the voice of the genre (minutes report, studies conclude).
_FRAME_SENTENCES: dict[str, tuple[str, ...]] = {
    "council_paper": (
        "Die Verwaltung schlägt vor, wie folgt zu verfahren.",
        "Der Ausschuss hat sich bereits mehrfach mit dem Thema {T} befasst.",
        "Die Verwaltung wird dem Ausschuss über die weitere Entwicklung berichten.",
    ),
    "minutes": (
        "{P} erläutert den Sachstand anhand einer Präsentation.",
        "In der anschließenden Aussprache wird nach den Kosten und dem Zeitplan gefragt.",
        "{P} sagt zu, die offenen Fragen zum Bereich {T} schriftlich zu beantworten.",
        "Mehrere Mitglieder regen an, die Nachbarkommunen frühzeitig einzubinden.",
    ),
    "project_description": (
        "Das Vorhaben gliedert sich in drei Arbeitspakete.",
        "Die Projektpartner bringen Erfahrungen aus Wirtschaft, Wissenschaft und Verwaltung ein.",
        "Die Ergebnisse des Projekts werden in einem Leitfaden für Betriebe aus dem Bereich {T} aufbereitet.",
    ),
    "conference_report": (
        "Rund {Z} Teilnehmende aus Unternehmen, Verwaltung und Wissenschaft kamen zusammen.",
        "{P} sprach im Hauptvortrag über die Chancen der Region im Feld {T}.",
        "In der Diskussion wurde deutlich, dass die Betriebe schnelle und unbürokratische Hilfe erwarten.",
    ),
    "report": (
        "Die Auswertung stützt sich auf amtliche Statistiken und Interviews mit Unternehmen.",
        "Die folgenden Abschnitte fassen die wichtigsten Befunde zusammen.",
        "Für den Bereich {T} ergibt sich ein insgesamt positives Bild.",
    ),
}

_PLACES: tuple[tuple[str, str], ...] = (
    ("Emscher-Lippe", "Gelsenkirchen"), ("Münsterland", "Münster"), ("Südwestfalen", "Siegen"),
    ("Ostwestfalen-Lippe", "Bielefeld"), ("Niederrhein", "Krefeld"), ("Bergisches Städtedreieck", "Wuppertal"),
    ("Lausitz", "Cottbus"), ("Westpfalz", "Kaiserslautern"), ("Nordhessen", "Kassel"), ("Oberfranken", "Bayreuth"),
    ("Ostwürttemberg", "Aalen"), ("Mittelhessen", "Gießen"), ("Weser-Ems", "Oldenburg"), ("Vorpommern", "Greifswald"),
    ("Saar", "Saarbrücken"), ("Westmecklenburg", "Schwerin"),
)  # fmt: skip
_PEOPLE: tuple[str, ...] = (
    "Frau Dr. Brinkmann", "Herr Oltmanns", "Frau Yılmaz", "Herr Dr. Kowalczyk", "Frau Hagedorn", "Herr Stiegler",
    "Frau Dr. Wienhold", "Herr Mertens", "Frau Schulte-Berge", "Herr Akgün", "Frau Lindqvist", "Herr Dr. Pape",
)  # fmt: skip
_COMMITTEES: tuple[str, ...] = (
    "Ausschusses für Wirtschaft und Strukturentwicklung", "Ausschusses für Wirtschaft, Arbeit und Tourismus",
    "Strukturausschusses", "Ausschusses für Regionalentwicklung und Beschäftigung",
)
_GENRE_WORDS: dict[str, tuple[str, ...]] = {
    "council_paper": ("Beschlussvorlage", "Informationsvorlage", "Sitzungsvorlage"),
    "minutes": ("Niederschrift",),
    "project_description": ("Projektbeschreibung", "Projektsteckbrief"),
    "conference_report": ("Tagungsbericht", "Veranstaltungsbericht"),
    "report": ("Abschlussbericht", "Zwischenbericht", "Gutachten", "Studie"),
}
_TITLES: dict[str, tuple[str, ...]] = {
    "council_paper": (
        "Handlungskonzept {T} für die Region {R}",
        "Stärkung des Schwerpunkts {T} am Standort {S}",
        "Fortschreibung des regionalen Entwicklungskonzepts – Themenfeld {T}",
        "Ansiedlungsstrategie {T} in der Region {R}",
    ),
    "minutes": ("Niederschrift über die {N}. Sitzung des {C}",),
    "project_description": (
        "Netzwerk {T} in der Region {R}",
        "Transferstelle {T} an der Hochschule {S}",
        "Innovationsverbund {T} {R}",
    ),
    "conference_report": (
        "Zukunft {T} in der Region {R}",
        "Perspektiven für {T} am Standort {S}",
    ),
    "report": (
        "Standortprofil {T} in der Region {R}",
        "Wirtschaftsstruktur und Entwicklungspotenziale der Region {R}",
        "Evaluierung der regionalen Förderung im Themenfeld {T}",
    ),
}
#: How precise each doctype's written date is (3 = day, 2 = month).
_DATE_PRECISION = {"council_paper": 3, "minutes": 3, "conference_report": 3, "project_description": 2, "report": 2}
_MONTH_NAMES = (
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November",
    "Dezember",
)  # fmt: skip
_WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


# --------------------------------------------------------------------------------------------------------
# truth records


@dataclass(frozen=True)
class TermYear:
    """What was written of one term in one year: occurrences by form and by compound, and documents with them."""

    planted_rate: float
    forms: dict[str, int]
    compounds: dict[str, int]
    docs: int
    compound_docs: int

    @property
    def count(self) -> int:
        """Occurrences of the term's own forms (compounds excluded)."""
        return sum(self.forms.values())

    @property
    def compound_count(self) -> int:
        return sum(self.compounds.values())


@dataclass(frozen=True)
class TermTruth:
    """One planted term: its spec (forms, compounds, curve) and, per year, what was written."""

    lemma: str
    forms: tuple[str, ...]
    compounds: tuple[str, ...]
    curve: tuple[tuple[int, float], ...]
    compound_ratio: float
    new: bool
    first_year: int | None
    years: dict[int, TermYear]


@dataclass(frozen=True)
class TopicTruth:
    """One planted topic: its words, its curve, and its normalised planted prevalence per year."""

    name: str
    words: tuple[str, ...]
    curve: tuple[tuple[int, float], ...]
    prevalence: dict[int, float]


@dataclass(frozen=True)
class DocTruth:
    """One generated document: where it is, its year, date, doctype, title and planted topic mixture.

    ``date`` is the ISO date (``YYYY-MM-DD`` or ``YYYY-MM``) written in the document, as clustermine should read
    it. ``topic_tokens`` counts the tokens of each topic's word list in the document as written.
    """

    file: str
    year: int
    date: str
    doctype: str
    title: str
    topic: str
    mixture: dict[str, float]
    n_tokens: int
    topic_tokens: dict[str, int]


@dataclass(frozen=True)
class DriftTruth:
    """Everything planted and written: the ground truth for trend counters, topic models and doctype/date finders.

    ``tokens_per_year`` and ``docs_per_year`` hold the totals per year; ``terms`` the term curves and counts;
    ``new_terms`` the first year of each term marked ``new``; ``topics`` the topic words and prevalence;
    ``doctypes`` the planted proportions; ``documents`` one record per file.
    """

    seed: int
    years: tuple[int, int]
    words_per_doc: tuple[int, int]
    token_pattern: str
    tokens_per_year: dict[int, int]
    docs_per_year: dict[int, int]
    doctypes: dict[str, float]
    terms: dict[str, TermTruth]
    new_terms: dict[str, int | None]
    topics: dict[str, TopicTruth]
    documents: tuple[DocTruth, ...]

    def rate(self, lemma: str, year: int, *, compounds: bool = False) -> float:
        """Observed occurrences per 10,000 tokens of ``lemma``'s forms (or its compounds) in ``year``."""
        entry = self.terms[lemma].years[year]
        count = entry.compound_count if compounds else entry.count
        return PER_TOKENS * count / self.tokens_per_year[year] if self.tokens_per_year[year] else 0.0

    def to_json(self) -> str:
        """The truth as JSON (years as string keys); :meth:`from_json` reads it back to an equal object."""
        data = {"generator": "tools.driftgen", "version": TRUTH_VERSION, **_jsonable(self)}
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> DriftTruth:
        data = json.loads(text)
        if data.get("version") != TRUTH_VERSION:
            raise ValueError(f"truth version must be {TRUTH_VERSION}. Got {data.get('version')!r} instead.")
        terms = {
            lemma: TermTruth(
                lemma=t["lemma"], forms=tuple(t["forms"]), compounds=tuple(t["compounds"]),
                curve=_points(t["curve"]), compound_ratio=t["compound_ratio"], new=t["new"],
                first_year=t["first_year"],
                years={int(y): TermYear(**entry) for y, entry in t["years"].items()},
            )
            for lemma, t in data["terms"].items()
        }  # fmt: skip
        topics = {
            name: TopicTruth(
                name=t["name"], words=tuple(t["words"]), curve=_points(t["curve"]),
                prevalence={int(y): p for y, p in t["prevalence"].items()},
            )
            for name, t in data["topics"].items()
        }  # fmt: skip
        return cls(
            seed=data["seed"],
            years=(data["years"][0], data["years"][1]),
            words_per_doc=(data["words_per_doc"][0], data["words_per_doc"][1]),
            token_pattern=data["token_pattern"],
            tokens_per_year={int(y): n for y, n in data["tokens_per_year"].items()},
            docs_per_year={int(y): n for y, n in data["docs_per_year"].items()},
            doctypes=data["doctypes"],
            terms=terms,
            new_terms=data["new_terms"],
            topics=topics,
            documents=tuple(DocTruth(**d) for d in data["documents"]),
        )

    @classmethod
    def load(cls, path: str | Path) -> DriftTruth:
        """Read a ``truth.json`` written by :func:`generate`."""
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


def _points(raw: Sequence[Sequence[float]]) -> tuple[tuple[int, float], ...]:
    return tuple((int(year), float(value)) for year, value in raw)


def _jsonable(value: Any) -> Any:
    """Dataclasses, dicts with int keys and tuples as plain JSON values (field order kept)."""
    if hasattr(value, "__dataclass_fields__"):
        return {name: _jsonable(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [_jsonable(item) for item in value]
    return value


# --------------------------------------------------------------------------------------------------------
# generation


@dataclass
class _Plan:
    """A document being built (mutable, internal)."""

    index: int
    year: int
    month: int
    day: int
    doctype: str
    topic: str
    mixture: dict[str, float]
    target: int
    region: str
    town: str
    planted: list[tuple[TermSpec, bool]] = field(default_factory=list)  # (spec, is_compound)


class _Filler:
    """Fills template slots for one document, drawing topic nouns from its mixture."""

    def __init__(self, rng: Random, plan: _Plan, topics: Mapping[str, TopicSpec]) -> None:
        self.rng, self.plan = rng, plan
        self.names = list(plan.mixture)
        self.weights = [plan.mixture[name] for name in self.names]
        self.words = {name: topics[name].words for name in self.names}
        self.cum = {name: _zipf_cum(len(topics[name].words)) for name in self.names}

    def topic_word(self, taken: set[str]) -> str:
        word = ""
        for _ in range(8):  # distinct nouns within a sentence ("Logistik und Logistik" reads wrong)
            name = self.rng.choices(self.names, self.weights)[0]
            word = self.rng.choices(self.words[name], cum_weights=self.cum[name])[0]
            if word not in taken:
                break
        taken.add(word)
        return word

    def fill(self, template: str, *, headline: bool = False) -> str:
        """``template`` with its slots filled; ``headline=True`` takes topic nouns from the dominant topic's
        five most characteristic words, as titles and agenda items name a document's main subject."""
        taken: set[str] = set()

        def slot(match: re.Match[str]) -> str:
            kind = match[1]
            if kind == "T" and headline:
                return self.rng.choice(self.words[self.plan.topic][:5])
            if kind == "T":
                return self.topic_word(taken)
            if kind == "R":
                return self.plan.region
            if kind == "S":
                return self.plan.town
            if kind == "P":
                return self.rng.choice(_PEOPLE)
            if kind == "Z":
                return str(self.rng.randrange(20, 900))
            if kind == "M":
                return f"{self.rng.randrange(1, 20)},{self.rng.randrange(10)}"
            if kind == "N":
                return str(self.rng.randrange(2, 40))
            if kind == "C":
                return self.rng.choice(_COMMITTEES)
            raise ValueError(f"unknown slot {{{kind}}} in template {template!r}")

        return _SLOT.sub(slot, template)


def _zipf_cum(n: int) -> list[float]:
    total, cum = 0.0, []
    for rank in range(n):
        total += 1.0 / (rank + 1) ** 0.6
        cum.append(total)
    return cum


def _largest_remainder(shares: Sequence[float], total: int) -> list[int]:
    """Integer counts summing to ``total`` in proportion to ``shares`` (largest-remainder method)."""
    weight = sum(shares)
    exact = [total * share / weight for share in shares]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _planted_count(rate: float, tokens: int) -> int:
    """Occurrences for a year: the rate applied to its tokens, at least one when the rate is positive."""
    if rate <= 0:
        return 0
    return max(1, round(rate * tokens / PER_TOKENS))


def _validate(
    years: tuple[int, int], docs_per_year: int, words_per_doc: tuple[int, int], terms: Sequence[TermSpec],
    topics: Sequence[TopicSpec], doctypes: Sequence[tuple[str, float]],
) -> None:
    """Check the arguments and that no vocabulary leaks a planted term outside its carriers."""
    if len(years) != 2 or years[0] > years[1]:
        raise ValueError(f"years must be (first, last) with first <= last. Got {years!r} instead.")
    if docs_per_year < 1:
        raise ValueError(f"docs_per_year must be >= 1. Got {docs_per_year!r} instead.")
    if len(words_per_doc) != 2 or not 150 <= words_per_doc[0] <= words_per_doc[1]:
        raise ValueError(f"words_per_doc must be (min, max) with 150 <= min <= max. Got {words_per_doc!r} instead.")
    if not 2 <= len(topics) <= 12:
        raise ValueError(f"topics must hold 2-12 TopicSpec. Got {len(topics)} instead.")
    unknown = [name for name, share in doctypes if name not in _GENRE_WORDS or share < 0]
    if unknown or not doctypes or sum(share for _, share in doctypes) <= 0:
        raise ValueError(
            f"doctypes must be (name, share >= 0) pairs with names from {sorted(_GENRE_WORDS)}. "
            f"Got {list(doctypes)!r} instead."
        )
    lemmas = [spec.lemma for spec in terms]
    if len(set(lemmas)) != len(lemmas) or len({topic.name for topic in topics}) != len(topics):
        raise ValueError(f"term lemmas and topic names must be unique. Got {lemmas} instead.")
    keys = [lemma.lower() for lemma in lemmas]
    owner: dict[str, str] = {}
    for topic in topics:
        for word in topic.words:
            if word in owner:
                raise ValueError(f"topic word {word!r} is in both {owner[word]!r} and {topic.name!r}.")
            owner[word] = topic.name
    texts = [*_FILLER, *(s for group in _FRAME_SENTENCES.values() for s in group), *owner]
    texts += [*(s for group in _TITLES.values() for s in group), *(w for g in _GENRE_WORDS.values() for w in g)]
    texts += [*(r for place in _PLACES for r in place), *_PEOPLE, *_COMMITTEES, *_FRAME_TEXTS]
    for text in texts:
        for token in tokenize(text):
            leaked = [lemma for lemma, key in zip(lemmas, keys, strict=True) if key in token.lower()]
            if leaked:
                raise ValueError(f"{token!r} in {text!r} contains the planted term {leaked[0]!r}; reword it.")
    for spec in terms:
        for carrier in spec.carriers:
            hits = [t for t in tokenize(carrier) if any(key in t.lower() for key in keys)]
            if hits != [spec.carrier_word(carrier)]:
                raise ValueError(f"carrier {carrier!r} of {spec.lemma!r} writes other planted terms: {hits}.")
    filler_tokens = {t for text in _FILLER for t in tokenize(_SLOT.sub(" ", text))}
    clash = sorted(filler_tokens & set(owner))
    if clash:
        raise ValueError(f"topic words must not occur in the filler sentences. Got {clash} instead.")


def generate(
    out_dir: str | Path,
    *,
    seed: int = 0,
    years: tuple[int, int] = (1995, 2025),
    docs_per_year: int = 6,
    words_per_doc: tuple[int, int] = (250, 600),
    terms: Sequence[TermSpec] = DEFAULT_TERMS,
    topics: Sequence[TopicSpec] = DEFAULT_TOPICS,
    doctypes: Sequence[tuple[str, float]] = DEFAULT_DOCTYPES,
) -> DriftTruth:
    """Write the corpus to ``out_dir/docs/doc-NNNN.txt`` and ``out_dir/truth.json``; return the truth.

    Documents are numbered in date order. Earlier ``doc-*.txt`` files in ``out_dir/docs`` are removed first, so
    a smaller corpus written over a larger one leaves no stale documents. ``words_per_doc`` is the range of
    each document's length in tokens (it may overshoot by one sentence).
    """
    years = (int(years[0]), int(years[1]))
    words_per_doc = (int(words_per_doc[0]), int(words_per_doc[1]))
    terms, topics, doctypes = tuple(terms), tuple(topics), tuple(doctypes)
    _validate(years, docs_per_year, words_per_doc, terms, topics, doctypes)
    rng = Random(seed)
    topic_by_name = {topic.name: topic for topic in topics}
    year_list = list(range(years[0], years[1] + 1))
    plans = _plan_documents(rng, year_list, docs_per_year, words_per_doc, topics, doctypes)
    for year in year_list:
        _plant_terms(rng, [p for p in plans if p.year == year], terms, year)
    texts = [_write_document(rng, plan, topic_by_name) for plan in plans]
    truth = _count(seed, years, words_per_doc, terms, topics, doctypes, year_list, plans, texts)
    docs = Path(out_dir) / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for stale in sorted(docs.glob("doc-*.txt")):
        stale.unlink()
    for record, (_, text) in zip(truth.documents, texts, strict=True):
        (Path(out_dir) / record.file).write_text(text, encoding="utf-8", newline="\n")
    (Path(out_dir) / "truth.json").write_text(truth.to_json(), encoding="utf-8", newline="\n")
    return truth


def _plan_documents(
    rng: Random, year_list: list[int], docs_per_year: int, words_per_doc: tuple[int, int],
    topics: Sequence[TopicSpec], doctypes: Sequence[tuple[str, float]],
) -> list[_Plan]:
    """Decide every document's year, date, doctype, topic mixture, place and length before writing any."""
    total = len(year_list) * docs_per_year
    counts = _largest_remainder([share for _, share in doctypes], total)
    kinds = [name for (name, _), n in zip(doctypes, counts, strict=True) for _ in range(n)]
    rng.shuffle(kinds)
    names = [topic.name for topic in topics]
    plans: list[_Plan] = []
    for y_index, year in enumerate(year_list):
        weights = [topic.curve.at(year) for topic in topics]
        dominant = [n for n, k in zip(names, _largest_remainder(weights, docs_per_year), strict=True) for _ in range(k)]
        rng.shuffle(dominant)
        dated = sorted((rng.randrange(1, 13), rng.randrange(4, 29)) for _ in range(docs_per_year))
        for i, (topic, (month, day)) in enumerate(zip(dominant, dated, strict=True)):
            # sessions and conferences fall on weekdays: move Saturday/Sunday back to Friday
            day -= max(0, date(year, month, day).weekday() - 4)
            mixture = {topic: 1.0}
            if rng.random() < 0.5:
                others = [n for n in names if n != topic]
                minor = rng.choices(others, [topics[names.index(n)].curve.at(year) for n in others])[0]
                major = round(rng.uniform(0.65, 0.85), 2)
                mixture = {topic: major, minor: round(1 - major, 2)}
            region, town = rng.choice(_PLACES)
            plans.append(_Plan(
                index=y_index * docs_per_year + i + 1, year=year, month=month, day=day,
                doctype=kinds[y_index * docs_per_year + i], topic=topic, mixture=mixture,
                target=rng.randint(*words_per_doc), region=region, town=town,
            ))  # fmt: skip
    return plans


def _plant_terms(rng: Random, plans: list[_Plan], terms: Sequence[TermSpec], year: int) -> None:
    """Give each document of ``year`` its share of the year's planted occurrences, unevenly (terms cluster)."""
    tokens = sum(plan.target for plan in plans)
    for spec in terms:
        rate = spec.curve.at(year)
        n_forms = _planted_count(rate, tokens)
        n_compounds = round(spec.compound_ratio * rate * tokens / PER_TOKENS)
        if not n_forms and not n_compounds:
            continue
        weights = [plan.target * (0.05 + rng.gammavariate(0.6, 1.0)) for plan in plans]
        for plan in rng.choices(plans, weights, k=n_forms):
            plan.planted.append((spec, False))
        for plan in rng.choices(plans, weights, k=n_compounds):
            plan.planted.append((spec, True))


# --------------------------------------------------------------------------------------------------------
# layout per doctype: a head (title, genre, date, fields), sections (heading, closing line) and a foot

#: Fixed lines of the frames, listed for the vocabulary check in :func:`_validate`.
_FRAME_TEXTS: tuple[str, ...] = (
    "Vorlagen-Nr. Datum: Federführung: Fachbereich Wirtschaft und Beschäftigung Beratungsfolge: Vorberatung",
    "Rat der Stadt Entscheidung Beschlussvorschlag: Der Ausschuss nimmt den Sachstand zur Kenntnis und beauftragt",
    "die Verwaltung, die Aktivitäten im Themenfeld fortzusetzen. Sachverhalt: Stellungnahme der Verwaltung:",
    "Finanzielle Auswirkungen: Die Kosten von rund Millionen Euro sind im Haushalt veranschlagt.",
    "öffentliche Sitzung am Uhr, Rathaus Sitzungssaal Vorsitz: Anwesend: Mitglieder des Ausschusses sowie",
    "Vertreterinnen und Vertreter der Verwaltung Tagesordnung TOP Eröffnung und Feststellung der",
    "Beschlussfähigkeit Bericht der Verwaltung zum Themenfeld Verschiedenes Zu Beschluss: Der Ausschuss nimmt",
    "die Ausführungen zur Kenntnis. Abstimmungsergebnis: einstimmig Ende der Sitzung:",
    "Projektleitung: Institut für Regionalentwicklung Projektpartner: Hochschule Industrie- und Handelskammer",
    "regionale Entwicklungsgesellschaft Laufzeit: Gefördert durch: Europäischer Fonds für regionale Entwicklung",
    "(EFRE) und Landesmittel Ausgangssituation Ziele des Vorhabens Vorgehen Erwartete Ergebnisse",
    "Fachtagung Workshop Fachkonferenz in Veranstalter: Begrüßung und Einführung Vorträge Podiumsdiskussion",
    "Fazit und Ausblick Stand: Im Auftrag der regionalen Entwicklungsgesellschaft Inhaltsverzeichnis Einleitung",
    "Ausgangslage in der Region Befunde im Themenfeld Handlungsempfehlungen",
)


@dataclass(frozen=True)
class _Frame:
    head: str
    sections: tuple[tuple[str, str], ...]  # (heading, closing lines) around each block of body paragraphs
    foot: str
    date: str


def _frame(rng: Random, plan: _Plan, filler: _Filler, title: str) -> _Frame:
    """The fixed parts of a document: what makes it a council paper, minutes, project sheet, report."""
    y, m, d = plan.year, plan.month, plan.day
    numeric = f"{d:02d}.{m:02d}.{y}"
    textual = f"{d}. {_MONTH_NAMES[m - 1]} {y}"
    iso = f"{y}-{m:02d}-{d:02d}" if _DATE_PRECISION[plan.doctype] == 3 else f"{y}-{m:02d}"
    genre = rng.choice(_GENRE_WORDS[plan.doctype])
    if plan.doctype == "council_paper":
        head = (
            f"{title}\n\n{genre}\nVorlagen-Nr. {rng.randrange(1, 1000):04d}/{y}\nDatum: {numeric}\n"
            "Federführung: Fachbereich Wirtschaft und Beschäftigung\n\n"
            "Beratungsfolge:\nAusschuss für Wirtschaft und Strukturentwicklung – Vorberatung\n"
            f"Rat der Stadt {plan.town} – Entscheidung\n\n"
            "Beschlussvorschlag:\n\n"
            + filler.fill("Der Ausschuss nimmt den Sachstand zur Kenntnis und beauftragt die Verwaltung, die "
                          "Aktivitäten im Themenfeld {T} fortzusetzen.", headline=True)
        )
        sections = (("Sachverhalt:", ""), ("Stellungnahme der Verwaltung:", ""))
        foot = filler.fill("Finanzielle Auswirkungen:\n\nDie Kosten von rund {M} Millionen Euro sind im Haushalt "
                           "veranschlagt.")
    elif plan.doctype == "minutes":
        weekday = _WEEKDAYS[date(y, m, d).weekday()]
        chair = rng.choice(_PEOPLE)
        tops = [filler.fill("Bericht der Verwaltung zum Themenfeld {T}", headline=True) for _ in range(2)]
        head = (
            f"{title}\n\n"
            f"öffentliche Sitzung am {weekday}, {numeric}, {rng.randrange(14, 19)}:00 Uhr, Rathaus {plan.town}, "
            f"Sitzungssaal\n\nVorsitz: {chair}\n"
            f"Anwesend: {rng.randrange(9, 19)} Mitglieder des Ausschusses sowie Vertreterinnen und Vertreter der "
            "Verwaltung\n\nTagesordnung\n"
            "TOP 1 Eröffnung und Feststellung der Beschlussfähigkeit\n"
            f"TOP 2 {tops[0]}\nTOP 3 {tops[1]}\nTOP 4 Verschiedenes"
        )
        closing = "Beschluss: Der Ausschuss nimmt die Ausführungen zur Kenntnis.\nAbstimmungsergebnis: einstimmig"
        sections = ((f"Zu TOP 2 – {tops[0]}", closing), (f"Zu TOP 3 – {tops[1]}", closing))
        foot = f"Ende der Sitzung: {rng.randrange(19, 22)}:{rng.choice(('00', '15', '30', '45'))} Uhr"
    elif plan.doctype == "project_description":
        end_year, end_month = (y + rng.choice((2, 3)), m - 1) if m > 1 else (y + rng.choice((1, 2)), 12)
        head = (
            f"{title}\n\n{genre}\n"
            f"Projektleitung: {rng.choice(_PEOPLE)}, Institut für Regionalentwicklung {plan.town}\n"
            f"Projektpartner: Hochschule {plan.town}; Industrie- und Handelskammer; regionale "
            f"Entwicklungsgesellschaft {plan.region}\n"
            f"Laufzeit: {m:02d}/{y} – {end_month:02d}/{end_year}\n"
            "Gefördert durch: Europäischer Fonds für regionale Entwicklung (EFRE) und Landesmittel"
        )
        sections = (("Ausgangssituation", ""), ("Ziele des Vorhabens", ""), ("Vorgehen", ""),
                    ("Erwartete Ergebnisse", ""))  # fmt: skip
        foot = ""
    elif plan.doctype == "conference_report":
        event = rng.choice(("Fachtagung", "Workshop", "Fachkonferenz"))
        name = filler.fill("{T} in der Region {R}", headline=True)
        head = (
            f"{title}\n\n{genre}\n{event} „{name}“ am {textual} in {plan.town}\n"
            f"Veranstalter: regionale Entwicklungsgesellschaft {plan.region}"
        )
        sections = (("Begrüßung und Einführung", ""), ("Vorträge", ""), ("Podiumsdiskussion", ""),
                    ("Fazit und Ausblick", ""))  # fmt: skip
        foot = ""
    elif plan.doctype == "report":
        findings = filler.fill("Befunde im Themenfeld {T}", headline=True)
        chapters = ("Einleitung", "Ausgangslage in der Region", findings, "Handlungsempfehlungen")
        head = (
            f"{title}\n\n{genre}\nStand: {_MONTH_NAMES[m - 1]} {y}\n"
            f"Im Auftrag der regionalen Entwicklungsgesellschaft {plan.region}\n\nInhaltsverzeichnis\n"
            + "\n".join(f"{i} {chapter}" for i, chapter in enumerate(chapters, start=1))
        )
        sections = tuple((f"{i} {chapter}", "") for i, chapter in enumerate(chapters, start=1))
        foot = ""
    else:  # _validate only lets known doctypes through
        raise ValueError(f"unknown doctype {plan.doctype!r}")
    return _Frame(head, sections, foot, iso)


def _write_document(rng: Random, plan: _Plan, topics: Mapping[str, TopicSpec]) -> tuple[_Frame, str]:
    """Compose one document: frame, planted sentences and filler, shuffled into paragraphs under the headings."""
    filler = _Filler(rng, plan, topics)
    title = filler.fill(rng.choice(_TITLES[plan.doctype]), headline=True)
    frame = _frame(rng, plan, filler, title)
    fixed = frame.head + frame.foot + "".join(h + c for h, c in frame.sections)
    used_carriers: set[str] = set()
    body: list[str] = []
    for spec, compound in plan.planted:
        pool = [c for c in spec.carriers if (spec.carrier_word(c) in spec.compounds) == compound]
        fresh = [c for c in pool if c not in used_carriers] or pool
        carrier = rng.choice(fresh)
        used_carriers.add(carrier)
        body.append(filler.fill(carrier))
    budget = plan.target - len(tokenize(fixed)) - sum(len(tokenize(s)) for s in body)
    deck: list[str] = []
    frame_pool = list(_FRAME_SENTENCES[plan.doctype])
    while budget > 0:
        if not deck:
            deck = list(_FILLER) + frame_pool
            rng.shuffle(deck)
        sentence = filler.fill(deck.pop())
        body.append(sentence)
        budget -= len(tokenize(sentence))
    rng.shuffle(body)
    blocks = [frame.head]
    cuts = _split(rng, len(body), len(frame.sections))
    start = 0
    for (heading, closing), size in zip(frame.sections, cuts, strict=True):
        part = body[start : start + size]
        start += size
        paragraphs = []
        while part:
            take = rng.randint(2, 5)
            paragraphs.append(" ".join(part[:take]))
            part = part[take:]
        blocks.append("\n\n".join([heading, *paragraphs, *([closing] if closing else [])]))
    if frame.foot:
        blocks.append(frame.foot)
    return frame, "\n\n".join(blocks) + "\n"


def _split(rng: Random, n: int, parts: int) -> list[int]:
    """Sizes of ``parts`` consecutive blocks of ``n`` sentences, each at least one when possible."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    sizes = _largest_remainder(weights, n)
    for i, size in enumerate(sizes):  # no empty section under a heading
        if size == 0:
            donor = max(range(parts), key=lambda j: sizes[j])
            if sizes[donor] > 1:
                sizes[donor] -= 1
                sizes[i] = 1
    return sizes


# --------------------------------------------------------------------------------------------------------
# counting what was written


def _count(
    seed: int, years: tuple[int, int], words_per_doc: tuple[int, int], terms: Sequence[TermSpec],
    topics: Sequence[TopicSpec], doctypes: Sequence[tuple[str, float]], year_list: list[int],
    plans: list[_Plan], texts: list[tuple[_Frame, str]],
) -> DriftTruth:
    """Count the files as written (not as planned): the truth must hold even if a template changes."""
    keys = [(spec.lemma, spec.lemma.lower(), set(spec.forms)) for spec in terms]
    word_topic = {word: topic.name for topic in topics for word in topic.words}
    hits_cache: dict[str, list[tuple[str, bool]]] = {}  # token -> [(lemma, is_compound)]
    forms = {spec.lemma: {y: Counter() for y in year_list} for spec in terms}
    compounds = {spec.lemma: {y: Counter() for y in year_list} for spec in terms}
    docs = {spec.lemma: Counter() for spec in terms}
    compound_docs = {spec.lemma: Counter() for spec in terms}
    tokens_per_year: Counter[int] = Counter()
    records = []
    for plan, (frame, text) in zip(plans, texts, strict=True):
        tokens = tokenize(text)
        tokens_per_year[plan.year] += len(tokens)
        seen: set[tuple[str, bool]] = set()
        topic_tokens: Counter[str] = Counter()
        for token in tokens:
            if token in word_topic:
                topic_tokens[word_topic[token]] += 1
            hits = hits_cache.get(token)
            if hits is None:
                lowered = token.lower()
                hits = [(lemma, token not in own) for lemma, key, own in keys if key in lowered]
                hits_cache[token] = hits
            for lemma, compound in hits:
                (compounds if compound else forms)[lemma][plan.year][token] += 1
                seen.add((lemma, compound))
        for lemma, compound in seen:
            (compound_docs if compound else docs)[lemma][plan.year] += 1
        records.append(DocTruth(
            file=f"docs/doc-{plan.index:04d}.txt", year=plan.year, date=frame.date, doctype=plan.doctype,
            title=text.split("\n", 1)[0], topic=plan.topic, mixture=dict(plan.mixture), n_tokens=len(tokens),
            topic_tokens={t.name: topic_tokens[t.name] for t in topics if topic_tokens[t.name]},
        ))  # fmt: skip
    term_truth: dict[str, TermTruth] = {}
    for spec in terms:
        per_year = {
            y: TermYear(
                planted_rate=round(spec.curve.at(y), 6),
                forms={form: forms[spec.lemma][y][form] for form in spec.forms if forms[spec.lemma][y][form]},
                compounds=dict(sorted(compounds[spec.lemma][y].items())),
                docs=docs[spec.lemma][y], compound_docs=compound_docs[spec.lemma][y],
            )
            for y in year_list
        }  # fmt: skip
        first = next((y for y in year_list if per_year[y].count), None)
        term_truth[spec.lemma] = TermTruth(
            lemma=spec.lemma, forms=spec.forms, compounds=spec.compounds, curve=spec.curve.points,
            compound_ratio=spec.compound_ratio, new=spec.new, first_year=first, years=per_year,
        )  # fmt: skip
    topic_truth = {}
    for topic in topics:
        prevalence = {}
        for y in year_list:
            total = sum(t.curve.at(y) for t in topics)
            prevalence[y] = round(topic.curve.at(y) / total, 6) if total else 0.0
        topic_truth[topic.name] = TopicTruth(topic.name, topic.words, topic.curve.points, prevalence)
    return DriftTruth(
        seed=seed,
        years=years,
        words_per_doc=words_per_doc,
        token_pattern=TOKEN_PATTERN,
        tokens_per_year={y: tokens_per_year[y] for y in year_list},
        docs_per_year={y: sum(1 for p in plans if p.year == y) for y in year_list},
        doctypes={name: share for name, share in doctypes},
        terms=term_truth,
        new_terms={spec.lemma: term_truth[spec.lemma].first_year for spec in terms if spec.new},
        topics=topic_truth,
        documents=tuple(records),
    )


# --------------------------------------------------------------------------------------------------------
# CLI


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tools.driftgen OUT [--seed N] [--docs-per-year N] [--years FIRST LAST] [--words MIN MAX]``."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.driftgen",
        description="Write a synthetic German corpus with planted term, topic and doctype drift, and its truth.",
        epilog="Example: python -m tools.driftgen /tmp/drift --seed 0 --docs-per-year 6",
    )
    parser.add_argument("out", type=Path, help="output folder (documents in OUT/docs, truth in OUT/truth.json)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--docs-per-year", type=int, default=6, help="documents per year (default 6)")
    parser.add_argument("--years", type=int, nargs=2, default=(1995, 2025), metavar=("FIRST", "LAST"))
    parser.add_argument("--words", type=int, nargs=2, default=(250, 600), metavar=("MIN", "MAX"),
                        help="document length range in tokens (default 250 600)")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        truth = generate(
            args.out, seed=args.seed, years=tuple(args.years), docs_per_year=args.docs_per_year,
            words_per_doc=tuple(args.words),
        )  # fmt: skip
    except ValueError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    n_tokens = sum(truth.tokens_per_year.values())
    print(f"wrote {len(truth.documents)} documents ({n_tokens} tokens) to {args.out / 'docs'}", file=sys.stderr)
    print(args.out / "truth.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
