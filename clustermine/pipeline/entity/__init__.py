"""Entity extraction: regions, clusters, funding programmes and organisations (and, if asked, persons).

Why rules and gazetteers instead of a statistical model: clustermine must run offline without downloaded
models, the names that matter are known lists (400 Kreise, the Landescluster, EFRE periods), and a researcher
has to be able to see why a mention was tagged (every :class:`~clustermine.model.Entity` carries its ``rule``).

How a text is read, in order (the module that does each step in brackets):

1. **Sub-tokens** (:mod:`.keys`). The text is cut into words, and words into parts at hyphens, slashes and inner
   dots ("Ziel-2-Programm" -> Ziel | 2 | Programm, "EFRE.NRW" -> EFRE | NRW), each with character offsets. A word
   broken at a line end ("Bruch-\\nsal") is joined again. Every part gets a *key*: lower case, umlauts and ß
   spelled out, German inflection endings stripped, so that "des Kreises Mettmann" meets "Kreis Mettmann" and
   "im Bergischen Land" meets "Bergisches Land". Aliases are cut and keyed by the same code (:mod:`.names`).
2. **Gazetteer matching** (:mod:`.matching`). Greedy longest match of key sequences against a trie of all names.
   A match that is only the first part of a hyphen compound ("NRW-Innovationsstrategie") is dropped, except for
   programmes and named initiatives ("EFRE-Mittel" -> EFRE). One-word matches must also agree in spelling (a
   genitive -s is fine, "Bayer" is not "Bayern"), and acronyms must be written in capitals ("NRW", not "nrw").
3. **Context** (:mod:`.context`). Names that are also common words or very short (ambiguous_regions.tsv: Essen,
   Hamm, Lage, ...) count only with the gazetteer's capitalisation and a place context: a preposition or
   designator before them (in, aus, Stadt, Kreis, ...), a coordination with another region ("Dortmund, Essen und
   Bochum"), or an earlier such mention of the same place in the text. Generic cluster words (Energie, Logistik,
   Chemie, Mobilität, ...) count only next to another cluster or in a sentence that talks about fields
   (Kompetenzfeld, Branche, Cluster, Leitmarkt, Bereich, Themen, ...); a programme named by a word and a small
   number ("Ziel 3") only in a sentence about funding, since council papers number their goals. A plural
   designator governs a list (:mod:`.matching`): "die Landkreise Germersheim, Karlsruhe und Rastatt" are
   Landkreise, "in den Leitmärkten Gesundheit, ..." are Leitmärkte.
4. **Choosing between entries that share a name** (:mod:`.choice`; documented rule, in this order): a
   designator in the text ("Landkreis Karlsruhe" / "Stadt Karlsruhe"); for programmes and clusters the entry
   valid at the document date; for regions the entry lying in a region that the text names elsewhere
   (Neunkirchen in a text about the Saarland); then the more general entry (a Land before its city, a city
   before a Landkreis, an EU programme before a federal one before a Land programme, a cluster of a whole Land
   before one of a region inside it); then gazetteer order.
5. **Periods** (:mod:`.choice`). A programme followed closely by an explicit period ("EFRE-Mittel der
   Förderperiode 2021–2027", "Ziel-2-Programm NRW 2007–2013") becomes the entry for that period (a period entry,
   or a predecessor or successor valid exactly then); otherwise the general programme stays. The document date
   never picks a period by itself: "EFRE" in a 2016 paper stays the general programme.
6. **Compounds and patterns** (:mod:`.compound_heads`, :mod:`.name_spans`, :mod:`.cluster_patterns`,
   :mod:`.org_patterns`, :mod:`.person_patterns`). A closed compound whose modifier is a cluster field and whose
   head is wirtschaft/branche/sektor/industrie/cluster/netzwerk/kompetenzfeld/standort is that field
   ("Logistikbranche", rule ``compound``); a truncated part is completed from its partner ("Kreativ- und
   Medienwirtschaft" -> Kreativwirtschaft). Patterns find names the gazetteer does not know (rule
   ``pattern:<name>``, id None): "Cluster X", "Netzwerk „X“", "X-Wettbewerb", "… GmbH", "Institut für …",
   "Universität X", sector words in a list with a known field, and persons after a title when switched on.
7. **Overlaps** (:mod:`.extractor`). The longest candidate wins; on equal length gazetteer beats compound beats
   pattern.

Every step works on one :class:`~.run.Run` (the sub-tokens, sentences and candidates of one text);
:class:`~.extractor.EntityExtractor` runs the steps in the order above. The spaCy component (factory
``clustermine_entities``, :mod:`.component`) stores the result on ``doc._.cm_entities``;
:func:`~.api.extract_entities` and :func:`~.api.extract_entities_many` are the plain entry points, re-exported
by :mod:`clustermine.pipeline.entities`.

This package imports nothing on its own, so that importing one of its modules does not load the others.
"""
