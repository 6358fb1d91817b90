"""Small German documents for the index tests: each one exercises a feature of German search.

Written for these tests (fictional but typical of council papers, reports and minutes on cluster policy).
``ENTITIES`` lists the gazetteer entities each document is tagged with, so that the tests do not depend on
the entity extractor.
"""

from __future__ import annotations

#: file name → (doctype, date, text)
DOCUMENTS: dict[str, tuple[str, str, str]] = {
    "mettmann-vorlage.txt": (
        "council_paper",
        "2013-04-10",
        """Kreis Mettmann
Der Landrat

Beschlussvorlage
Vorlagen-Nr. 2013/0295
öffentlich

Beratungsfolge                                   Termin        Art der Entscheidung
Ausschuss für Wirtschaftsförderung              10.04.2013    Vorberatung
Kreistag                                         25.04.2013    Entscheidung

Betreff:
Clusterförderung im Kreis Mettmann – Zukünftige Aktivitäten

Beschlussvorschlag:
Der Kreistag beschließt, die Clusterförderung für die Schließ- und Sicherungstechnik fortzuführen und das
Netzwerk der Unternehmen in Velbert und Heiligenhaus bis 2016 zu unterstützen.

Sachverhalt:
Seit dem Jahr 2000 fördert der Kreis Mettmann die Zusammenarbeit der Betriebe der Schlüsselindustrie.
Die Wirtschaftsförderung des Kreises berichtet jährlich über die Entwicklung des Netzwerks. Die Kosten
für das Clustermanagement betragen 80.000 Euro im Jahr. Weitere Mittel aus dem Landeshaushalt werden
beantragt.
""",
    ),
    "mettmann-vorlage-neufassung.txt": (
        "council_paper",
        "2013-04-18",
        """Kreis Mettmann
Der Landrat

Beschlussvorlage – 1. Neufassung
Vorlagen-Nr. 2013/0295/1
öffentlich

Beratungsfolge                                   Termin        Art der Entscheidung
Ausschuss für Wirtschaftsförderung              10.04.2013    Vorberatung
Kreistag                                         25.04.2013    Entscheidung

Betreff:
Clusterförderung im Kreis Mettmann – Zukünftige Aktivitäten (Neufassung)

Beschlussvorschlag:
Der Kreistag beschließt, die Clusterförderung für die Schließ- und Sicherungstechnik fortzuführen und das
Netzwerk der Unternehmen in Velbert und Heiligenhaus bis 2016 zu unterstützen.

Sachverhalt:
Seit dem Jahr 2000 fördert der Kreis Mettmann die Zusammenarbeit der Betriebe der Schlüsselindustrie.
Die Wirtschaftsförderung des Kreises berichtet jährlich über die Entwicklung des Netzwerks. Die Kosten
für das Clustermanagement betragen 85.000 Euro im Jahr. Weitere Mittel aus dem Landeshaushalt werden
beantragt.
""",
    ),
    "velbert-bericht.txt": (
        "report",
        "2015-06-01",
        """Schlüsselregion Velbert – Bericht 2015

Die Cluster-Förderung der Schloss- und Beschlagindustrie in Velbert zeigt Wirkung. Die Unternehmen der
Region haben gemeinsam ein Ausbildungszentrum gegründet. Das Kompetenzzentrum für Sicherheitstechnik
arbeitet eng mit der Hochschule zusammen. Für die kommenden Jahre planen die Betriebe eine gemeinsame
Messe.
""",
    ),
    "dortmund-projekt.txt": (
        "project_description",
        "2008-09-15",
        """Projekt MikroNetz Dortmund

Förderung von Clustern in Dortmund: Das Netzwerk der Mikrosystemtechnik wird aus Mitteln des EFRE
unterstützt. Die Projektlaufzeit beträgt drei Jahre. Ziel ist die Vernetzung von Hochschule und
Mittelstand im Technologiepark. Ansprechpartner ist die Wirtschaftsförderung Dortmund.
""",
    ),
    "leipzig-niederschrift.txt": (
        "minutes",
        "2011-03-22",
        """Niederschrift über die Sitzung des Wirtschaftsausschusses am 22.03.2011

TOP 1: Strukturwandel in der Region
Der Ausschuss berät über die Mittel aus dem EU-Strukturfonds. Die Kreise der Region beteiligen sich an
der Logistikstrategie. Herr Müller berichtet über den Strukturwandel im Braunkohlerevier und die Rolle der
Logistik am Flughafen.

TOP 2: Verschiedenes
Die nächste Sitzung findet in der Hauptstraße 5 statt.
""",
    ),
    "essen-webseite.txt": (
        "web_page",
        "2019-11-05",
        """surface.net – Netzwerk für Oberflächentechnik

Das Netzwerk surface.net verbindet Unternehmen der Oberflächentechnik im Ruhrgebiet. Aktuelles aus der
STRASSE der Innovation: Die Foerderung neuer Beschichtungsverfahren läuft seit 2018. Mitglieder treffen
sich monatlich in Essen.
""",
    ),
}

#: file name → [(kind, canonical, gazetteer id or None, surface text)]
ENTITIES: dict[str, list[tuple[str, str, str | None, str]]] = {
    "mettmann-vorlage.txt": [
        ("REGION", "Kreis Mettmann", "ks-05158", "Kreis Mettmann"),
        ("REGION", "Velbert", "gm-05158032", "Velbert"),
        ("CLUSTER", "Schließ- und Sicherungstechnik", None, "Schließ- und Sicherungstechnik"),
    ],
    "mettmann-vorlage-neufassung.txt": [
        ("REGION", "Kreis Mettmann", "ks-05158", "Kreis Mettmann"),
        ("REGION", "Velbert", "gm-05158032", "Velbert"),
    ],
    "velbert-bericht.txt": [("REGION", "Velbert", "gm-05158032", "Velbert")],
    "dortmund-projekt.txt": [
        ("REGION", "Dortmund", "ks-05913", "Dortmund"),
        ("PROGRAM", "Europäischer Fonds für regionale Entwicklung", "pg-efre", "EFRE"),
    ],
    "leipzig-niederschrift.txt": [
        ("REGION", "Leipzig", "ks-14713", "Leipzig"),
        ("CLUSTER", "Logistik", "cl-fd-logistik", "Logistik"),
    ],
    "essen-webseite.txt": [
        ("REGION", "Essen", "ks-05113", "Essen"),
        ("REGION", "Ruhrgebiet", "rg-ruhrgebiet", "Ruhrgebiet"),
        ("ORG", "surface.net e.V.", None, "surface.net"),
    ],
}
