"""Resumes in German, French, Spanish, Portuguese, Italian and Dutch: headings, months, dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from careergini.profile.parsers import parse_document
from careergini.profile.parsers.findings import detect_language, warning_codes

REAL_WORLD = Path(__file__).resolve().parents[1] / "fixtures" / "real-world"

# (language, text): the same two-job CV written as people of each language write it.
CVS = {
    "de": """Anna Schmidt
anna.schmidt@example.de | +49 30 1234567 | Berlin

Berufserfahrung
Softwareentwicklerin, Zalando SE\tSeit 05/2019
- Entwicklung von Microservices mit Python und Kubernetes für den Katalog
Werkstudentin, SAP SE\tMärz 2016 bis Dezember 2018
- Tests für die Datenbank mit SQL und Java

Ausbildung
Technische Universität München\t2013 – 2018
B.Sc. Informatik

Kenntnisse
Python, Kubernetes, SQL, Java, Docker
""",
    "fr": """Claire Martin
claire.martin@example.fr | +33 6 12 34 56 78 | Lyon

Expérience professionnelle
Ingénieure logiciel, Dassault Systèmes\tjanv. 2020 – aujourd’hui
- Développement des services de calcul avec Python et Docker pour les clients
Stagiaire, Capgemini\tfévrier 2018 – août 2019
- Mise en place des tests en Java et SQL dans le projet

Formation
Université Claude Bernard Lyon 1\t2015 – 2018
Licence Informatique

Compétences
Python, Docker, Java, SQL, Kubernetes
""",
    "es": """Lucía García
lucia.garcia@example.es | +34 612 345 678 | Madrid

Experiencia profesional
Desarrolladora backend, Cabify\tenero de 2020 – actualidad
- Desarrollo de servicios con Python y PostgreSQL para los clientes de la empresa
Analista de datos, BBVA\tmarzo 2017 – diciembre 2019
- Informes con SQL y Tableau para el equipo de riesgos

Formación
Universidad Politécnica de Madrid\t2012 – 2016
Grado en Ingeniería Informática

Habilidades
Python, PostgreSQL, SQL, Tableau, Docker
""",
    "pt": """João Pereira
joao.pereira@example.pt | +351 912 345 678 | Lisboa

Experiência profissional
Engenheiro de software, Farfetch\tsetembro 2019 – atual
- Desenvolvimento de serviços com Python e Kubernetes para a plataforma
Estagiário, Feedzai\tjaneiro 2018 – agosto 2019
- Modelos de dados com SQL e Java para a equipa de produto

Formação
Universidade de Lisboa\t2014 – 2018
Licenciatura em Engenharia Informática

Competências
Python, Kubernetes, SQL, Java, Docker
""",
    "it": """Marco Rossi
marco.rossi@example.it | +39 333 123 4567 | Milano

Esperienze professionali
Sviluppatore software, Satispay\tgennaio 2020 – oggi
- Sviluppo di servizi con Python e Docker per la piattaforma di pagamento
Stagista, Accenture\tsettembre 2018 – dicembre 2019
- Test della banca dati con SQL e Java per il cliente

Istruzione
Politecnico di Milano\t2014 – 2018
Laurea in Ingegneria Informatica

Competenze
Python, Docker, SQL, Java, Kubernetes
""",
    "nl": """Sanne de Vries
sanne.devries@example.nl | +31 6 12345678 | Amsterdam

Werkervaring
Software engineer, Adyen\tmaart 2019 – heden
- Ontwikkeling van diensten met Python en Kubernetes voor de betaalomgeving
Stagiair, Booking.com\tjanuari 2017 – februari 2019
- Analyses met SQL en Java voor het team van de website

Opleiding
Universiteit van Amsterdam\t2013 – 2017
BSc Informatica

Vaardigheden
Python, Kubernetes, SQL, Java, Docker
""",
}
STARTS = {
    "de": ((2019, 5), (2016, 3)),
    "fr": ((2020, 1), (2018, 2)),
    "es": ((2020, 1), (2017, 3)),
    "pt": ((2019, 9), (2018, 1)),
    "it": ((2020, 1), (2018, 9)),
    "nl": ((2019, 3), (2017, 1)),
}


@pytest.mark.parametrize("language", list(CVS))
def test_a_cv_in_another_language_reads_positions_dates_education_and_skills(language: str):
    text = CVS[language]
    assert detect_language(text) == language
    result = parse_document(text.encode())
    profile = result.profile
    assert len(profile.work) == 2, profile.work
    current, earlier = profile.work
    assert current.current and current.start is not None
    assert (current.start.year, current.start.month) == STARTS[language][0]
    assert earlier.start is not None and earlier.end is not None and not earlier.current
    assert (earlier.start.year, earlier.start.month) == STARTS[language][1]
    assert all(w.company and w.title for w in profile.work)
    assert profile.education and profile.education[0].institution
    assert {"Python", "SQL", "Docker"} <= {s.name for s in profile.skills}
    assert warning_codes(result.warnings) == ["other_language"]


def test_the_real_german_resume_gives_positions_or_says_why():
    result = parse_document((REAL_WORLD / "madic_lebenslauf_de.pdf").read_bytes())
    codes = warning_codes(result.warnings)
    assert "other_language" in codes
    assert result.profile.work or "no_positions" in codes
    assert [w.company or w.title for w in result.profile.work][:1] == ["Titel 1"] or codes


def test_the_german_markdown_source_reads_dated_positions():
    result = parse_document((REAL_WORLD / "madic_lebenslauf_de.md").read_bytes())
    dated = [w for w in result.profile.work if w.start]
    assert len(dated) >= 3
    assert dated[0].current and dated[0].start is not None
    assert (dated[0].start.year, dated[0].start.month) == (2019, 5)
