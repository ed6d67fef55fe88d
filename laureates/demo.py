"""Demo laureates of the past editions 2018–2025, and the one real laureate of the archives.

The demo projects are invented (``is_demo=True``): titles and pitches in the
manner of neighbourhood projects, spread over the communes and quartiers of
the territory. The real laureate (EMA, Athis-Mons) comes from
``laureates/data/laureates.csv``, imported as the coordination would.
"""

from decimal import Decimal
from pathlib import Path

from django.db import transaction

from accounts.models import Association, Commune, Qpv
from laureates.models import Laureate
from laureates.services.archives import ArchiveRow, import_archive, save_archive_rows

ARCHIVE_FILE = Path(__file__).resolve().parent / "data" / "laureates.csv"

INTROS = {
    2018: (
        "La première édition du label : des habitants et des associations ont imaginé "
        "de nouvelles façons de vivre leur quartier. Voici quelques-uns des projets primés."
    ),
    2019: (
        "Deuxième édition : davantage de collectifs d'habitants, et des projets qui "
        "rapprochent les générations."
    ),
    2020: (
        "Une édition marquée par la crise sanitaire : les projets primés ont inventé "
        "l'entraide à distance et le retour dehors."
    ),
    2021: "Les projets primés en 2021 misent sur le numérique accessible et l'alimentation.",
    2022: (
        "En 2022, le jury a salué des projets portés par des jeunes et des projets "
        "pour la nature en ville."
    ),
    2023: "L'édition 2023 : réemploi, sport pour toutes et culture au pied des immeubles.",
    2024: (
        "Première édition avec la nouvelle carte des quartiers prioritaires : "
        "des projets dans des quartiers entrés dans la politique de la ville."
    ),
    2025: "Les lauréats 2025 : des projets pour se soigner, se former et se retrouver.",
}

# year, title, association, commune, quartier (QPV code), themes, amount (€), pitch
DEMO_LAUREATES: list[tuple[int, str, str, str, str, list[str], int, str]] = [
    (
        2018,
        "Les cuisines du monde de Gagarine",
        "Femmes relais d'Ivry",
        "Ivry-sur-Seine",
        "QN09407I",
        ["lien_social", "sante"],
        6500,
        "Chaque mois, des habitantes cuisinent un plat de leur pays et le partagent "
        "avec le quartier, recettes à l'appui.",
    ),
    (
        2018,
        "Un vélo pour chaque collégien",
        "Roue libre Vitry",
        "Vitry-sur-Seine",
        "QN09410M",
        ["environnement", "education"],
        9000,
        "Un atelier où les collégiens réparent un vélo abandonné, puis le gardent "
        "pour aller en cours.",
    ),
    (
        2018,
        "Théâtre en bas des tours",
        "Compagnie du Plateau",
        "Viry-Châtillon",
        "QN09124M",
        ["culture", "education"],
        7500,
        "Des comédiens jouent et écrivent avec les jeunes de la Grande Borne, "
        "au pied des immeubles, tout l'été.",
    ),
    (
        2018,
        "La conciergerie solidaire du Grand Vaux",
        "Grand Vaux Ensemble",
        "Savigny-sur-Orge",
        "QN09129M",
        ["ess", "emploi"],
        12000,
        "Des habitants en insertion rendent de petits services aux voisins : "
        "colis, courses, petits travaux.",
    ),
    (
        2018,
        "Le jardin des Lozaits",
        "Les Mains vertes de Villejuif",
        "Villejuif",
        "QN09419M",
        ["environnement", "lien_social"],
        4000,
        "Une friche devenue potager partagé, cultivé par les familles et l'école voisine.",
    ),
    (
        2018,
        "Écrivains publics du Centre-Ville",
        "Plume et Papiers",
        "Villeneuve-Saint-Georges",
        "QN09433M",
        ["lien_social"],
        3500,
        "Des bénévoles aident à écrire un courrier, remplir un dossier ou préparer "
        "un rendez-vous administratif.",
    ),
    (
        2019,
        "Mamies et papys conteurs",
        "Générations Choisy",
        "Choisy-le-Roi",
        "QN09429I",
        ["lien_social", "culture"],
        3000,
        "Des aînés du quartier Sud racontent des histoires dans les écoles et les "
        "halls d'immeubles.",
    ),
    (
        2019,
        "Repair café de la Bergerie",
        "Valenton Répare",
        "Valenton",
        "QN09432I",
        ["ess", "environnement"],
        5000,
        "Un samedi par mois, on apporte un objet en panne et on apprend à le réparer "
        "plutôt qu'à le jeter.",
    ),
    (
        2019,
        "Football et devoirs",
        "Étoile sportive d'Orly",
        "Orly",
        "QN09428M",
        ["sport", "education"],
        8000,
        "Deux entraînements par semaine, précédés d'une heure d'aide aux devoirs "
        "avec des étudiants.",
    ),
    (
        2019,
        "La radio des Combattants",
        "Ondes de quartier",
        "Vitry-sur-Seine",
        "QN09445N",
        ["culture", "numerique"],
        10000,
        "Une webradio animée par des jeunes : interviews d'habitants, musique et "
        "informations pratiques.",
    ),
    (
        2019,
        "Cuisine mobile du Clos Nollet",
        "Saveurs partagées",
        "Athis-Mons",
        "QN09128M",
        ["sante", "lien_social"],
        11000,
        "Une cuisine sur roues qui s'installe au pied des immeubles pour des ateliers "
        "d'alimentation à petit prix.",
    ),
    (
        2019,
        "Ateliers couture et réemploi",
        "Fil à fil Cachan",
        "Cachan",
        "QN09443N",
        ["ess", "emploi"],
        4500,
        "Des habitantes transforment des tissus donnés en sacs et vêtements, "
        "et se forment au métier.",
    ),
    (
        2020,
        "Allô voisins",
        "Solidarité Kremlin-Bicêtre",
        "Le Kremlin-Bicêtre",
        "QN09444N",
        ["lien_social", "sante"],
        2500,
        "Une ligne téléphonique tenue par des bénévoles pour rompre l'isolement "
        "des personnes âgées du quartier.",
    ),
    (
        2020,
        "Tablettes partagées",
        "Clic Solidaire",
        "Ivry-sur-Seine",
        "QN09401M",
        ["numerique", "education"],
        9500,
        "Un prêt de tablettes aux familles sans ordinateur, avec un accompagnement "
        "pour suivre l'école à la maison.",
    ),
    (
        2020,
        "Balcons en fleurs",
        "Les Jardiniers des Jardins Parisiens",
        "L'Haÿ-les-Roses",
        "QN09415I",
        ["environnement"],
        3000,
        "Des graines, des bacs et des conseils pour fleurir les balcons, "
        "et un concours entre cages d'escalier.",
    ),
    (
        2020,
        "Sport en plein air à Triage",
        "Triage en mouvement",
        "Villeneuve-Saint-Georges",
        "QN09436M",
        ["sport", "sante"],
        6000,
        "Des séances gratuites de sport en plein air, encadrées par des éducateurs "
        "diplômés du quartier.",
    ),
    (
        2020,
        "La fresque du Pavé de Grignon",
        "Couleurs de Thiais",
        "Thiais",
        "QN09441N",
        ["culture", "lien_social"],
        7000,
        "Une fresque imaginée par les habitants et peinte avec un artiste "
        "sur le mur du centre commercial.",
    ),
    (
        2021,
        "Épicerie solidaire du Noyer Renard",
        "Panier pour tous",
        "Athis-Mons",
        "QN09127M",
        ["ess", "sante"],
        15000,
        "Des produits frais à petit prix, une cuisine ouverte aux ateliers et un "
        "espace d'échange entre voisins.",
    ),
    (
        2021,
        "Les codeuses du Chaperon Vert",
        "Chaperon Vert Numérique",
        "Arcueil",
        "QN09414M",
        ["numerique", "emploi"],
        12000,
        "Une formation au code informatique pour les femmes du quartier, "
        "avec des stages en entreprise.",
    ),
    (
        2021,
        "Médiateurs de nuit",
        "Veille et Lien",
        "Villeneuve-Saint-Georges",
        "QN09434I",
        ["tranquillite", "lien_social"],
        13500,
        "Des médiateurs formés parcourent le quartier Nord en soirée pour apaiser "
        "les tensions et écouter.",
    ),
    (
        2021,
        "Ma première permission de conduire",
        "Auto-école sociale du Grand Vaux",
        "Savigny-sur-Orge",
        "QN09129M",
        ["emploi", "education"],
        8500,
        "Un code de la route adapté aux personnes qui lisent peu le français, "
        "pour accéder à un emploi.",
    ),
    (
        2021,
        "Parents à l'écoute",
        "Maison des parents de Gentilly",
        "Gentilly",
        "QN09413M",
        ["lien_social", "education"],
        4000,
        "Des rencontres entre parents, animées par une psychologue, autour des "
        "écrans, de l'école et de l'adolescence.",
    ),
    (
        2021,
        "Le compost des Sorbiers",
        "Sorbiers en transition",
        "Chevilly-Larue",
        "QN09442N",
        ["environnement"],
        2000,
        "Des bacs à compost en pied d'immeuble, gérés par des référents habitants, "
        "pour le jardin de la résidence.",
    ),
    (
        2022,
        "Conseil des jeunes de la Grusie",
        "Jeunes du Haut-Pays",
        "Villeneuve-le-Roi",
        "QN09447N",
        ["lien_social", "education"],
        5500,
        "Des jeunes élus par leurs pairs choisissent et organisent chaque année "
        "un projet pour le quartier.",
    ),
    (
        2022,
        "Ruches de la Vallée aux Renards",
        "Abeilles de L'Haÿ",
        "L'Haÿ-les-Roses",
        "QN09446N",
        ["environnement", "education"],
        6000,
        "Trois ruches sur un toit, des visites pour les écoles et le miel "
        "vendu au profit des sorties d'été.",
    ),
    (
        2022,
        "Boxe éducative au féminin",
        "Ring Solidaire",
        "Vitry-sur-Seine",
        "QN09412M",
        ["sport", "sante"],
        7500,
        "Des cours de boxe éducative réservés aux filles et aux femmes, "
        "avec garde d'enfants sur place.",
    ),
    (
        2022,
        "Le café des langues",
        "Parlons ensemble",
        "Choisy-le-Roi",
        "QN09440N",
        ["lien_social", "education"],
        3500,
        "Un café où l'on pratique le français et où chacun enseigne un peu sa langue aux autres.",
    ),
    (
        2022,
        "Potager pédagogique d'Ivry Port",
        "Terres d'Ivry",
        "Ivry-sur-Seine",
        "QN09408M",
        ["environnement", "education"],
        9000,
        "Un potager cultivé par les classes du quartier, ouvert aux familles "
        "le mercredi et le samedi.",
    ),
    (
        2022,
        "Studio photo de quartier",
        "Regards croisés Villejuif",
        "Villejuif",
        "QN09417M",
        ["culture"],
        4500,
        "Des habitants apprennent la photographie et exposent les portraits "
        "de leurs voisins dans le quartier.",
    ),
    (
        2023,
        "Ressourcerie des Polognes",
        "Deuxième Vie Valenton",
        "Valenton",
        "QN09431M",
        ["ess", "environnement"],
        14000,
        "Une boutique de meubles et d'objets réparés, qui crée des emplois "
        "en insertion dans le quartier.",
    ),
    (
        2023,
        "Basket pour toutes",
        "Ballon d'Orly",
        "Orly",
        "QN09428M",
        ["sport"],
        5000,
        "Des créneaux de basket réservés aux filles, encadrés par des joueuses "
        "du club de la ville.",
    ),
    (
        2023,
        "Cinéma sous les étoiles",
        "Ciné-Quartiers Athis",
        "Athis-Mons",
        "QN09139N",
        ["culture", "lien_social"],
        6500,
        "Des projections en plein air, choisies et présentées par les habitants "
        "du quartier Édouard Vaillant.",
    ),
    (
        2023,
        "Aide numérique au pied des tours",
        "Connectés HBM",
        "Villeneuve-Saint-Georges",
        "QN09435I",
        ["numerique"],
        8000,
        "Une permanence mobile pour aider aux démarches en ligne : impôts, "
        "CAF, rendez-vous médicaux.",
    ),
    (
        2023,
        "Bricothèque de la Plaine",
        "Outils en commun",
        "Cachan",
        "QN09443N",
        ["ess", "lien_social"],
        3000,
        "Une bibliothèque d'outils où l'on emprunte une perceuse ou une échelle "
        "au lieu de l'acheter.",
    ),
    (
        2023,
        "Danse hip-hop intergénérationnelle",
        "Flow de Viry",
        "Viry-Châtillon",
        "QN09124M",
        ["culture", "sport"],
        7000,
        "Des ateliers de danse où jeunes et anciens créent ensemble un spectacle "
        "présenté à la fête du quartier.",
    ),
    (
        2024,
        "Rues aux enfants",
        "Collectif Barbusse",
        "Choisy-le-Roi",
        "QN09440N",
        ["lien_social", "environnement"],
        4000,
        "Une fois par mois, une rue fermée aux voitures devient un terrain de jeux "
        "pour les enfants et leurs parents.",
    ),
    (
        2024,
        "Santé des femmes en parole",
        "Femmes en santé Vitry",
        "Vitry-sur-Seine",
        "QN09411M",
        ["sante"],
        10500,
        "Des groupes de parole et des dépistages organisés avec le centre de santé, "
        "dans les langues du quartier.",
    ),
    (
        2024,
        "L'atelier vélo des Sorbiers",
        "Roulons L'Haÿ",
        "L'Haÿ-les-Roses",
        "QN09442N",
        ["environnement", "ess"],
        6000,
        "Un atelier où l'on répare son vélo soi-même, avec des vélos d'occasion "
        "vendus à petit prix.",
    ),
    (
        2024,
        "Fête des voisins tout l'été",
        "Lozaits en fête",
        "Villejuif",
        "QN09418M",
        ["lien_social", "culture"],
        2500,
        "Un repas partagé chaque semaine de l'été, dans une cour différente, "
        "organisé par les locataires.",
    ),
    (
        2024,
        "Jeunes ambassadeurs du tri",
        "Vercors Propre",
        "Le Kremlin-Bicêtre",
        "QN09444N",
        ["environnement", "education"],
        3500,
        "Des jeunes formés au tri expliquent les consignes porte à porte "
        "et organisent des ramassages.",
    ),
    (
        2024,
        "Gym douce au Grand Vaux",
        "Bien vieillir à Savigny",
        "Savigny-sur-Orge",
        "QN09129M",
        ["sante", "sport"],
        5000,
        "Des séances de gym douce pour les personnes âgées, suivies d'un café "
        "pour prendre des nouvelles de chacun.",
    ),
    (
        2025,
        "Permanence emploi du Triage",
        "Tremplin Triage",
        "Villeneuve-Saint-Georges",
        "QN09436M",
        ["emploi"],
        12500,
        "Des habitants bénévoles accompagnent leurs voisins dans la recherche "
        "d'emploi : CV, entretiens, premiers contacts.",
    ),
    (
        2025,
        "Bibliothèque de rue de Monmousseau",
        "Lire au quartier",
        "Ivry-sur-Seine",
        "QN09409M",
        ["culture", "education"],
        3000,
        "Des livres prêtés sur un tapis, au pied des immeubles, avec des lectures "
        "à voix haute pour les enfants.",
    ),
    (
        2025,
        "Médiation entre voisins à Colonel Fabien",
        "Bien vivre à Fabien",
        "Vitry-sur-Seine",
        "QN09410M",
        ["tranquillite", "lien_social"],
        9000,
        "Des habitants formés à la médiation aident à régler les conflits de "
        "voisinage avant qu'ils ne s'enveniment.",
    ),
    (
        2025,
        "Cantine solidaire d'Arcueil",
        "La Table des Irlandais",
        "Arcueil",
        "QN09402M",
        ["sante", "ess"],
        15000,
        "Un repas complet à prix libre chaque midi, cuisiné par des personnes "
        "en formation aux métiers de la restauration.",
    ),
    (
        2025,
        "Terrain multisport de Lutèce",
        "Lutèce Sport Ensemble",
        "Valenton",
        "QN09432I",
        ["sport", "lien_social"],
        11000,
        "Des tournois et des entraînements ouverts à tous sur le terrain rénové, "
        "organisés par les jeunes du quartier.",
    ),
    (
        2025,
        "Jardin partagé des Jardins Parisiens",
        "Semeurs de L'Haÿ",
        "L'Haÿ-les-Roses",
        "QN09416I",
        ["environnement", "lien_social"],
        4500,
        "Des parcelles cultivées par les habitants près du stade, et une parcelle "
        "réservée au centre de loisirs.",
    ),
]

# Two demo laureates belong to the demo associations: their members see them in their space.
DEMO_ASSOCIATION_LAUREATES = {
    "Potager pédagogique d'Ivry Port": "asso.alpha@demo.test",
    "Cuisine mobile du Clos Nollet": "asso.beta@demo.test",
}


def _association_of(title: str) -> Association | None:
    email = DEMO_ASSOCIATION_LAUREATES.get(title)
    if email is None:
        return None
    return Association.objects.filter(members__email=email).first()


def demo_rows() -> list[ArchiveRow]:
    """The demo laureates, as rows of the archives."""
    communes = {commune.name: commune for commune in Commune.objects.all()}
    qpvs = {qpv.code: qpv for qpv in Qpv.objects.all()}
    rows = []
    for number, (year, title, name, commune, qpv, themes, amount, pitch) in enumerate(
        DEMO_LAUREATES, start=1
    ):
        association = _association_of(title)
        rows.append(
            ArchiveRow(
                line=number,
                year=year,
                association_name=association.name if association else name,
                association=association,
                title=title,
                pitch=pitch,
                commune=communes[commune],
                qpvs=[qpvs[qpv]],
                themes=themes,
                amount=Decimal(amount),
                source="Données de démonstration",
            )
        )
    return rows


@transaction.atomic
def seed_laureates() -> int:
    """Create the past editions' demo laureates and the real one, once; return the count."""
    save_archive_rows(rows=demo_rows(), publish=True, is_demo=True, intros=INTROS)
    import_archive(data=ARCHIVE_FILE.read_bytes(), publish=True)
    return Laureate.objects.filter(year__in=INTROS).count()
