"""The fictional company behind the demo client, and the effects planted in its history.

Orséa Solutions sells a production- and sales-management software (two SaaS plans) and the
services around it (deployment pack, custom integration) to French SMEs and mid-caps. Every
table here is a small registry that :mod:`strategy_kit.demo.generate` reads; changing a number
here changes the demo's story, and the planted patterns listed in :mod:`strategy_kit.demo`
must stay true (tests/test_demo.py checks them).

Stage effects are log-odds offsets added to the probability of passing each of the six stage
transitions (prospecting→qualification, ..., negotiation→won), in that order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

COMPANY_NAME = "Orséa Solutions"
DISPLAY_NAME = "Orséa Solutions (démo)"
SALES_MANAGER = "Isabelle Mercier"
PIPELINE = "Ventes PME & ETI"

# Stage labels as the CRM shows them, in pipeline order (ids from config.DEFAULT_STAGES).
STAGE_IDS = ("prospecting", "qualification", "meeting", "needs_defined", "proposal", "negotiation", "won")
STAGE_LABELS = (
    "Prospection",
    "Qualification",
    "Rendez-vous",
    "Besoins définis",
    "Proposition envoyée",
    "Négociation",
    "Affaire remportée",
)
TRANSITIONS = len(STAGE_IDS) - 1
# Probability of passing each transition for an average deal (overall win rate about 20 %).
STAGE_PASS = np.array([0.80, 0.75, 0.80, 0.85, 0.70, 0.72])
# Share of a product's median cycle spent in each open stage.
STAGE_TIME_SHARE = np.array([0.12, 0.15, 0.15, 0.18, 0.20, 0.20])


def _offsets(value: float | tuple[float, ...]) -> tuple[float, ...]:
    return tuple(value) if isinstance(value, tuple) else (float(value),) * TRANSITIONS


@dataclass(frozen=True)
class Rep:
    name: str
    team: str
    joined_days_before_end: int
    deal_share: float  # relative share of new deals
    activity: float  # relative activity intensity on deals
    win: tuple[float, ...]  # per-transition log-odds offsets
    cycle: float  # multiplier of time in stage
    deal_size: float  # multiplier of deal value
    response_hours: float  # median first-contact delay on a lead, in working hours
    contact_rate: float  # share of unconverted leads that get a first contact at all
    followups: float  # mean follow-up activities per lead
    call_skill: float = 1.0  # multiplier of the call connect rate
    lead_conversion: float = 1.0  # multiplier of the lead-to-deal rate


REPS: tuple[Rep, ...] = (
    Rep("Sophie Martin", "ETI", 2900, 1.0, 1.2, _offsets(0.30), 0.85, 1.10, 1.5, 0.98, 1.6, 1.1),
    Rep("Thomas Bernard", "PME", 2400, 1.5, 1.6, (0.10, -0.20, -0.30, -0.30, -0.35, -0.35), 1.00, 0.85, 2.0, 0.97, 1.8),
    Rep("Camille Dubois", "ETI", 2000, 0.7, 0.9, (0.0, 0.10, 0.10, 0.10, 0.05, 0.10), 1.45, 1.80, 4.0, 0.95, 1.2),
    Rep("Nicolas Petit", "PME", 1700, 1.0, 1.0, _offsets(0.0), 1.00, 1.00, 3.0, 0.95, 1.2),
    Rep("Julie Moreau", "ETI", 1500, 0.9, 0.9, (-0.10, -0.10, 0.0, 0.10, 0.40, 0.60), 1.05, 1.05, 3.5, 0.95, 1.1),
    Rep("Antoine Laurent", "PME", 1400, 0.7, 0.7, _offsets(-0.10), 1.10, 0.95, 30.0, 0.72, 0.35, 0.95, 0.6),
    Rep("Émilie Girard", "PME", 1300, 1.1, 1.1, _offsets(0.15), 0.70, 0.75, 2.0, 0.97, 1.3),
    Rep("Julien Roux", "PME", 1200, 1.0, 1.0, (0.0, 0.0, 0.0, 0.0, -0.70, 0.0), 1.00, 1.00, 4.0, 0.94, 1.0),
    Rep("Léa Fournier", "PME", 150, 0.9, 1.3, _offsets(-0.25), 1.10, 0.90, 2.5, 0.97, 1.4),
    Rep("Hugo Lambert", "PME", 330, 1.0, 1.1, _offsets(-0.05), 1.00, 0.95, 3.0, 0.95, 1.2),
)


@dataclass(frozen=True)
class Product:
    name: str
    family: str
    billing: str  # monthly | annual (subscriptions) | instalments (one-off)
    monthly_price: float  # subscriptions: list price per month
    setup_fee: float  # subscriptions: one-off set-up fee
    price: float  # one-off products: list price
    deposit_share: float  # one-off products: share invoiced at order
    cycle_days: float  # median sales cycle in calendar days
    win: tuple[float, ...]

    @property
    def is_subscription(self) -> bool:
        return self.billing in ("monthly", "annual")

    @property
    def list_price(self) -> float:
        return 12 * self.monthly_price if self.is_subscription else self.price


PRODUCTS: tuple[Product, ...] = (
    Product("Orséa Essentiel", "Logiciel (SaaS)", "monthly", 390, 990, 0, 0, 35, _offsets(0.10)),
    Product("Orséa Performance", "Logiciel (SaaS)", "annual", 1250, 3500, 0, 0, 70, _offsets(0.0)),
    Product("Pack Déploiement", "Services", "instalments", 0, 0, 9500, 0.5, 45, _offsets(0.05)),
    Product("Intégration sur mesure", "Services", "instalments", 0, 0, 42000, 0.4, 120, _offsets(-0.15)),
)
# An older spelling of the first product, found on deals of the first year (mapped in client.yml).
OLD_PRODUCT_SPELLING = {0: "Orsea Essentiel"}

SIZE_BANDS = ("1-9", "10-49", "50-249", "250-999", "1000+")
SIZE_EMPLOYEES = ((1, 9), (10, 49), (50, 249), (250, 999), (1000, 5000))
SIZE_VALUE = np.array([0.40, 0.75, 1.00, 1.80, 3.00])  # licences / scope grow with size
SIZE_CYCLE = np.array([0.80, 0.90, 1.00, 1.30, 1.60])
SIZE_WIN = np.array(
    [
        (-0.20, -0.30, -0.20, -0.20, -0.10, 0.0),  # 1-9: outside the persona
        _offsets(0.0),
        _offsets(0.05),
        (0.0, 0.0, 0.0, 0.0, -0.10, -0.10),
        (-0.10, -0.10, -0.10, -0.10, -0.30, -0.30),  # 1000+: outside the persona
    ]
)
# Product mix by size band (rows) over PRODUCTS (columns).
SIZE_PRODUCT_MIX = np.array(
    [
        (0.75, 0.05, 0.20, 0.00),
        (0.55, 0.15, 0.25, 0.05),
        (0.30, 0.35, 0.22, 0.13),
        (0.12, 0.45, 0.18, 0.25),
        (0.05, 0.45, 0.15, 0.35),
    ]
)
# What a customer buys next (repeat business), rows and columns over PRODUCTS.
UPSELL = np.array(
    [
        (0.00, 0.40, 0.60, 0.00),
        (0.00, 0.00, 0.50, 0.50),
        (0.50, 0.50, 0.00, 0.00),
        (0.00, 0.40, 0.60, 0.00),
    ]
)

SECTORS = ("Industrie", "Commerce", "Services", "BTP", "Logistique", "Santé")
SECTOR_SHARE = np.array([0.24, 0.24, 0.20, 0.13, 0.11, 0.08])
# Size-band mix per sector of the companies that become deals.
SECTOR_SIZE_MIX = np.array(
    [
        (0.03, 0.32, 0.38, 0.20, 0.07),
        (0.08, 0.60, 0.22, 0.08, 0.02),
        (0.10, 0.45, 0.30, 0.12, 0.03),
        (0.06, 0.50, 0.32, 0.10, 0.02),
        (0.03, 0.35, 0.42, 0.15, 0.05),
        (0.05, 0.25, 0.35, 0.30, 0.05),
    ]
)
SECTOR_WIN = np.array(
    [
        _offsets(0.0),
        (0.10, 0.0, -0.10, -0.10, -0.30, -0.30),
        _offsets(0.0),
        (0.0, 0.0, 0.0, -0.35, 0.0, 0.0),  # BTP: budgets fall through once needs are defined
        _offsets(0.10),
        (0.0, 0.10, 0.10, 0.10, 0.10, 0.10),
    ]
)
# Prospects that never become deals: more very small and very large companies.
PROSPECT_SECTOR_SHARE = np.array([0.20, 0.26, 0.22, 0.14, 0.10, 0.08])
PROSPECT_SIZE_MIX = np.array([0.28, 0.38, 0.20, 0.08, 0.06])

INDUSTRIE, COMMERCE, SERVICES, BTP, LOGISTIQUE, SANTE = range(len(SECTORS))
# Planted segments (sector, size band).
OPPORTUNITY_SEGMENT = (SANTE, 3)  # Santé x 250-999: high win rate, few deals
OPPORTUNITY_WIN = 0.85
SECOND_OPPORTUNITY_SEGMENT = (LOGISTIQUE, 2)  # Logistique x 50-249
SECOND_OPPORTUNITY_WIN = 0.25
SATURATED_SEGMENT = (COMMERCE, 1)  # Commerce x 10-49: most deals, late-stage losses growing
SATURATED_WIN = np.array([0.0, 0.0, 0.0, -0.05, -0.05, -0.05])
SATURATED_WIN_PER_YEAR = -0.45  # from needs defined on
SATURATED_VALUE = 0.85
LENGTHENING_SECTOR = INDUSTRIE  # cycle grows by this share per year of history
LENGTHENING_PER_YEAR = 0.50

REGIONS = (
    "Île-de-France",
    "Auvergne-Rhône-Alpes",
    "Hauts-de-France",
    "Occitanie",
    "Nouvelle-Aquitaine",
    "Grand Est",
    "Provence-Alpes-Côte d'Azur",
    "Pays de la Loire",
    "Bretagne",
)
REGION_SHARE = np.array([0.28, 0.16, 0.10, 0.09, 0.09, 0.08, 0.08, 0.06, 0.06])
REGION_WIN = np.array([-0.05, 0.10, 0.0, 0.0, 0.0, -0.05, 0.0, 0.05, 0.0])


@dataclass(frozen=True)
class Source:
    name: str  # label in the deals export (and canonical)
    lead_label: str  # label in the leads spreadsheet
    share: float  # share of new-business deals
    win: tuple[float, ...]
    lead_conversion: float  # lead-to-deal rate
    response: float  # multiplier of the rep's first-contact delay
    first_touch: tuple[float, float, float]  # probability of call, email, LinkedIn as first contact


SOURCES: tuple[Source, ...] = (
    Source("Site web", "Formulaire site web", 0.26, (0.20, 0.0, 0.0, 0.0, 0.0, 0.0), 0.35, 0.6, (0.5, 0.5, 0.0)),
    Source("Salon", "Salon professionnel", 0.12, (0.0, 0.30, -0.10, -0.20, 0.0, 0.0), 0.25, 2.5, (0.4, 0.6, 0.0)),
    Source(
        "Recommandation",
        "Recommandation client",
        0.10,
        (0.60, 0.50, 0.30, 0.30, 0.30, 0.30),
        0.60,
        0.8,
        (0.6, 0.4, 0.0),
    ),
    Source("LinkedIn", "LinkedIn", 0.16, (0.10, -0.10, -0.30, -0.20, -0.10, 0.0), 0.22, 1.2, (0.0, 0.4, 0.6)),
    Source(
        "Prospection téléphonique",
        "Prospection téléphonique",
        0.24,
        (-0.60, -0.40, -0.10, 0.0, 0.0, 0.0),
        0.20,
        0.1,
        (1.0, 0.0, 0.0),
    ),
    Source("Partenaire", "Partenaire", 0.12, (0.30, 0.30, 0.20, 0.10, 0.0, 0.10), 0.45, 1.5, (0.5, 0.5, 0.0)),
)
COLD_SOURCES = ("LinkedIn", "Prospection téléphonique")  # more deals lost for "pas de réponse"
REPEAT_SOURCE = "Client existant"  # source of repeat business (no lead)
REPEAT_WIN = np.array([1.0, 1.0, 0.6, 0.4, 0.3, 0.3])
REPEAT_CYCLE = 0.6
REPEAT_SHARE = 0.14  # share of all deals that are repeat business
LEAD_SHARE = 0.90  # share of new-business deals that came from a lead

LOST_REASONS = ("Prix", "Concurrent", "Pas de budget", "Pas de réponse", "Timing", "Besoin non confirmé")
# Probability of each lost reason by the stage the deal was lost at (rows: the six open stages).
LOST_REASON_BY_STAGE = np.array(
    [
        (0.02, 0.03, 0.05, 0.55, 0.10, 0.25),
        (0.03, 0.05, 0.12, 0.35, 0.15, 0.30),
        (0.05, 0.08, 0.15, 0.25, 0.17, 0.30),
        (0.10, 0.12, 0.25, 0.10, 0.18, 0.25),
        (0.35, 0.25, 0.18, 0.07, 0.10, 0.05),
        (0.40, 0.30, 0.10, 0.05, 0.12, 0.03),
    ]
)
STALL_SHARE = 0.05  # deals that stop moving and stay open

CHURN_REASONS = ("Confiance / service client insatisfaisant", "Prix", "Concurrent", "Faillite", "Besoin disparu")
CHURN_TRUST_SHARE = 0.30  # METHOD.md section 5
CHURN_OTHER_MIX = np.array([0.22, 0.20, 0.10, 0.18])
CHURN_MEAN_YEARS = 4.0

# Deal creations per month (January..December): August trough, June and December peaks.
MONTH_FACTOR = np.array([1.00, 1.00, 1.10, 1.00, 0.90, 1.35, 0.85, 0.40, 1.05, 1.10, 1.00, 1.30])
GROWTH_PER_YEAR = 0.17  # new-business deal creations
AUGUST_ACTIVITY_KEEP = 0.45  # share of routine activities kept in August

# Call connect rate by weekday (Mon..Fri) and hour (8h..18h).
CALL_HOURS = np.arange(8, 19)
CALL_HOUR_WEIGHT = np.array([0.5, 1.0, 1.1, 1.05, 0.55, 0.6, 1.0, 1.0, 0.95, 0.85, 0.5])


def call_connect_table() -> np.ndarray:
    """Probability that a call reaches the person, by weekday (rows) and hour 8..18 (columns)."""
    table = np.full((5, len(CALL_HOURS)), 0.28)
    table[1:4, :] = 0.30
    hours = CALL_HOURS
    table[1:4, (hours >= 9) & (hours < 11)] = 0.46  # Tue-Thu 9-11h
    table[1:4, (hours >= 16) & (hours < 18)] = 0.42  # Tue-Thu 16-18h
    table[0, hours < 12] = 0.14  # Monday morning
    table[0, hours >= 14] = 0.25
    table[4, hours >= 14] = 0.13  # Friday afternoon
    table[:, (hours >= 12) & (hours < 14)] = 0.12  # lunch
    table[:, hours == 8] = np.minimum(table[:, hours == 8], 0.20)
    return table


ACTIVITY_TYPES = ("call", "email", "meeting", "linkedin")
ACTIVITY_LABELS = ("Appel", "E-mail", "Réunion", "LinkedIn")
# Expected activities of each type (columns as ACTIVITY_TYPES) per deal and open stage, before scaling.
STAGE_ACTIVITY = np.array(
    [
        (1.2, 1.0, 0.0, 0.4),
        (1.0, 0.8, 0.1, 0.0),
        (0.4, 0.6, 0.3, 0.0),
        (0.5, 0.8, 0.6, 0.0),
        (0.6, 1.0, 0.4, 0.0),
        (0.8, 0.8, 0.3, 0.0),
    ]
)
FOLLOWUP_MIX = np.array([0.45, 0.45, 0.0, 0.10])

# Outcomes: (label in the export, canonical id).
OUTCOMES: dict[str, tuple[tuple[str, str], ...]] = {
    "call": (
        ("Joint", "connected"),
        ("RDV pris", "meeting_booked"),
        ("Rappel demandé", "callback_requested"),
        ("Pas de réponse", "no_answer"),
        ("Messagerie", "voicemail"),
    ),
    "email": (("Envoyé", "sent"), ("Ouvert", "opened"), ("Répondu", "replied"), ("Rejeté", "bounced")),
    "meeting": (("Tenue", "held"), ("Annulée", "cancelled"), ("Prospect absent", "no_show")),
    "linkedin": (
        ("Invitation envoyée", "sent"),
        ("Invitation acceptée", "accepted"),
        ("Invitation refusée", "declined"),
    ),
}
# Subject of an activity by context (lead, then the six open stages) and type.
SUBJECTS = (
    ("Appel de premier contact", "Premier contact", "Rendez-vous de découverte", "Demande de connexion LinkedIn"),
    ("Appel de découverte", "Présentation d'Orséa", "Rendez-vous de découverte", "Demande de connexion LinkedIn"),
    (
        "Appel de qualification",
        "Questionnaire de qualification",
        "Réunion de qualification",
        "Demande de connexion LinkedIn",
    ),
    ("Confirmation du rendez-vous", "Compte rendu de réunion", "Démonstration", "Demande de connexion LinkedIn"),
    ("Point sur les besoins", "Cahier des charges", "Atelier de cadrage", "Demande de connexion LinkedIn"),
    ("Relance proposition", "Envoi de la proposition", "Présentation de l'offre", "Demande de connexion LinkedIn"),
    ("Appel de négociation", "Conditions commerciales", "Réunion de négociation", "Demande de connexion LinkedIn"),
)

LEAD_STATUSES = ("Converti", "En cours", "Abandonné")

# Account events (the events table): canonical type, label in the team's watch spreadsheet.
EVENT_TYPES = ("fundraising", "hiring", "new_executive", "acquisition", "expansion", "other")
EVENT_LABELS = ("Levée de fonds", "Recrutements", "Nouveau dirigeant", "Rachat", "Nouveau site", "Autre")
EVENT_TYPE_SHARE = np.array([0.12, 0.35, 0.18, 0.08, 0.20, 0.07])
EVENT_SOURCES = ("Les Échos", "LinkedIn", "BODACC", "Presse régionale", "Site de l'entreprise", "Alerte Google")
EVENT_SOURCE_SHARE = np.array([0.12, 0.38, 0.10, 0.20, 0.10, 0.10])
# A few words on each event, by type (rows as EVENT_TYPES).
EVENT_DETAILS = (
    ("Levée de 2 M€", "Levée de 5 M€ auprès d'un fonds régional", "Entrée d'un fonds d'investissement au capital"),
    ("Recrute 10 personnes", "Recrute un directeur commercial", "Ouvre 25 postes en production"),
    ("Nouveau directeur général", "Nouveau directeur administratif et financier", "Nouveau président"),
    ("Rachat d'un concurrent", "Racheté par un groupe", "Rachat d'un fournisseur"),
    ("Ouverture d'un nouveau site", "Nouvel entrepôt", "Ouverture d'une agence à Lyon"),
    ("Nouveau contrat important", "Certification ISO 9001", "Déménagement du siège"),
)

# Company names: sector word + family or place name + legal form.
NAME_PREFIXES = (
    ("Mécanique", "Usinage", "Plasturgie", "Fonderie", "Ateliers", "Chaudronnerie", "Métallerie", "Industries"),
    ("Maison", "Boutiques", "Distribution", "Comptoir", "Magasins", "Négoce", "Caves", "Épicerie fine"),
    ("Cabinet", "Conseil", "Agence", "Expertise", "Bureau d'études", "Services", "Solutions", "Groupe"),
    (
        "Bâtiment",
        "Constructions",
        "Charpente",
        "Maçonnerie",
        "Travaux publics",
        "Rénovation",
        "Couverture",
        "Génie civil",
    ),
    ("Transports", "Logistique", "Entrepôts", "Messagerie", "Fret", "Express", "Manutention", "Affrètement"),
    ("Clinique", "Laboratoires", "Pharmacie", "Centre médical", "Cabinet dentaire", "Résidence", "Imagerie", "Santé"),
)
NAME_ROOTS = (
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefèvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Lemaire",
    "Noël",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Rivière",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Martinez",
    "Gérard",
    "Roche",
    "Renard",
    "Schmitt",
    "Roy",
    "Leroux",
    "Colin",
    "Vidal",
    "Caron",
    "Picard",
    "Roger",
    "Fabre",
    "Aubert",
    "Lemoine",
    "Renaud",
    "Dumas",
    "Lacroix",
    "Olivier",
    "Philippe",
    "Bourgeois",
    "Pierre",
    "Benoît",
    "Rey",
    "Leclerc",
    "Payet",
    "Rolland",
    "Leclercq",
    "Guillaume",
    "Lecomte",
    "Lopez",
    "Dupuy",
    "Guillot",
    "Hubert",
    "Berger",
    "Carpentier",
    "Sanchez",
    "Dupuis",
    "Moulin",
    "Louis",
    "Deschamps",
    "Huet",
    "Vasseur",
    "Perez",
    "Boucher",
    "Fleury",
    "Royer",
    "Klein",
    "Jacquet",
    "Adam",
    "Poirier",
    "Marty",
    "Aubry",
    "Guyot",
    "Carré",
    "Charles",
    "Renault",
    "Charpentier",
    "Ménard",
    "Maillard",
    "Baron",
    "Bertin",
    "Bailly",
    "Hervé",
    "Schneider",
    "Fernandez",
    "Collet",
    "Léger",
    "Bouvier",
    "Julien",
    "Prévost",
    "Millet",
    "Perrot",
    "Daniel",
    "Cousin",
    "Germain",
    "Breton",
    "Besson",
    "Langlois",
    "Rémy",
    "Pelletier",
    "Lévêque",
    "Perrier",
    "Leblanc",
    "Barré",
    "Lebrun",
    "Marchal",
    "Weber",
    "Mallet",
    "Hamon",
    "Boulanger",
    "Jacob",
    "Monnier",
    "Michaud",
    "Rodriguez",
    "Guichard",
    "Gillet",
    "Étienne",
    "Poulain",
    "Tessier",
    "Chauvin",
    "Bouchet",
    "Lemaître",
    "Humbert",
    "Reynaud",
    "Perret",
    "Barthélemy",
    "Cordier",
    "Pichon",
    "Lejeune",
    "Gilbert",
    "Lamy",
    "Delaunay",
    "Pasquier",
    "Carlier",
    "Laporte",
    "Atlantique",
    "Alpes",
    "Provence",
    "Armor",
    "Cévennes",
    "Vosges",
    "Jura",
    "Horizon",
    "Azur",
    "Océane",
    "Garonne",
    "Loire",
    "Rhône",
    "Seine",
    "Morvan",
    "Vercors",
    "Bocage",
    "Estuaire",
    "Calanques",
    "Beauce",
    "Sologne",
    "Camargue",
    "Artois",
)
NAME_FORMS = ("", " SAS", " SARL", " SA", " & Fils", " Frères", " et Associés", " & Cie")
MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
