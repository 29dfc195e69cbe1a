"""Every text a report shows, in French and English, and how numbers and dates are written.

Labels live in one registry, :data:`LABELS`: ``key -> {"fr": ..., "en": ...}``. Texts may hold
``{placeholders}`` filled by :func:`label`. Analyses and plots never hard-code a shown text:
they ask for a key here.

Number formats (``NBSP`` is the non-breaking space U+00A0, so a number never wraps):

- French: ``1 234,5`` · ``1 234,5 €`` · ``12,5 %`` · ``30/09/2026``;
- English: ``1,234.5`` · ``€1,234.5`` · ``12.5%`` · ``30 Sep 2026``.
"""
from __future__ import annotations

import math
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from strategy_kit.errors import UnavailableError

LANGUAGES = ("fr", "en")
NBSP = "\u00a0"
MISSING = "–"  # shown for a missing or undefined value (en dash)

LABELS: dict[str, dict[str, str]] = {
    # Report frame: cover block, headers, notes.
    "report.title": {"fr": "Stratégie commerciale", "en": "Sales strategy"},
    "report.period": {"fr": "Période", "en": "Period"},
    "report.period_dates": {"fr": "du {start} au {end}", "en": "{start} to {end}"},
    "report.generated": {"fr": "Rapport généré le {date}", "en": "Report generated on {date}"},
    "report.unavailable": {"fr": "Non disponible : {reason}", "en": "Not available: {reason}"},
    "report.list_separator": {"fr": "\u202f; ", "en": "; "},  # between the items of a list in a sentence
    # Why a section has nothing to show (reasons of LabelledUnavailable, shown after "Not available: ").
    "unavailable.no_table": {
        "fr": "cette partie repose sur la table « {label} », que le client « {client} » n'a pas importée "
              "(déclarez-la sous import: {table}: dans client.yml)",
        "en": "this part needs the {table} table ({label}), which client '{client}' has not imported "
              "(map it under import: {table}: in client.yml)",
    },
    "unavailable.no_deal_rows": {
        "fr": "la table des affaires du client « {client} » ne contient aucune ligne",
        "en": "the deals table of client '{client}' has no rows",
    },
    "unavailable.no_deal_column": {
        "fr": "cette partie a besoin de la colonne {column} des affaires, absente ou vide chez le client "
              "« {client} » (associez-la sous import: deals: columns: dans client.yml)",
        "en": "this part needs the deals' {column}, which client '{client}' has not mapped or left empty "
              "(map it under import: deals: columns: in client.yml)",
    },
    "unavailable.no_column": {
        "fr": "cette partie a besoin de la colonne {column} de la table « {label} », absente ou vide chez le "
              "client « {client} » (associez-la sous import: {table}: columns: dans client.yml)",
        "en": "this part needs the {column} column of the {table} table ({label}), which client '{client}' "
              "has not mapped or left empty (map it under import: {table}: columns: in client.yml)",
    },
    "unavailable.no_stage_history": {
        "fr": "le parcours client repose sur l'historique des étapes des affaires, que le client « {client} » "
              "n'a pas (il est construit à l'import dès que les affaires sont importées)",
        "en": "the customer journey needs the deals' stage history, which client '{client}' does not have "
              "(the import builds it whenever deals are imported)",
    },
    "unavailable.no_revenue_values": {
        "fr": "aucune affaire gagnée n'a de montant et le client « {client} » n'a pas importé de lignes de "
              "chiffre d'affaires : le chiffre d'affaires ne peut pas être mesuré",
        "en": "no won deal has a value and client '{client}' has not imported revenue lines: revenue cannot "
              "be measured",
    },
    "unavailable.persona_without_criteria": {
        "fr": "la vérification par règles a besoin d'un persona qui nomme des secteurs, des tailles "
              "d'entreprise ou des régions ; renseignez-les dans le formulaire du persona",
        "en": "the rule-based fit needs a persona that names sectors, company sizes or regions; fill "
              "them in the persona form",
    },
    "unavailable.lift_no_closed": {
        "fr": "le taux de gain par attribut a besoin d'affaires conclues (gagnées ou perdues) ; les "
              "données n'en ont aucune",
        "en": "the win-rate lift needs closed (won or lost) deals; the data has none",
    },
    "unavailable.lift_no_attribute": {
        "fr": "le taux de gain par attribut a besoin d'au moins un de ces attributs : {attributes} "
              "(deals.source, deals.product, ou les comptes reliés par deals.account_id), renseigné "
              "pour au moins une affaire",
        "en": "the win-rate lift needs at least one of {attributes} (deals.source, deals.product, or "
              "accounts linked by deals.account_id)",
    },
    "unavailable.score_needs_won_and_lost": {
        "fr": "le score de gain apprend des affaires gagnées et perdues ; il y en a {won} gagnée(s) "
              "et {lost} perdue(s)",
        "en": "the win score needs won and lost deals to learn from; there are {won} won and {lost} lost",
    },
    "unavailable.score_no_attribute": {
        "fr": "le score de gain a besoin d'au moins un de ces attributs : {attributes}",
        "en": "the win score needs at least one of {attributes}",
    },
    "unavailable.calibration_no_closed": {
        "fr": "la vérification du score a besoin d'affaires conclues avec une date de clôture",
        "en": "the calibration of the score needs closed deals with a close date",
    },
    "unavailable.calibration_one_side": {
        "fr": "la vérification du score a besoin d'affaires conclues avant et après le {cut}",
        "en": "the calibration needs deals closed both before and after {cut}",
    },
    "unavailable.no_persona": {
        "fr": "aucun persona enregistré : remplissez le formulaire du persona (notebook 02) pour "
              "vérifier les leads et les affaires par rapport à lui",
        "en": "no persona saved yet: fill the persona form (notebook 02) to check leads and deals against it",
    },
    "unavailable.swot_win_and_new_deals": {
        "fr": "il faut le taux de gain et les nouvelles affaires, avec leur référence",
        "en": "needs the win rate and new deals with a baseline",
    },
    "unavailable.swot_market": {
        "fr": "il faut le marché adressable par segment (inputs/market.yml)",
        "en": "needs the addressable market per segment (inputs/market.yml)",
    },
    "unavailable.swot_growth": {
        "fr": "il faut le chiffre d'affaires de l'année précédant les douze derniers mois pour "
              "mesurer la croissance des segments",
        "en": "needs revenue a year before the recent year to measure segment growth",
    },
    "unavailable.what_if_volume": {
        "fr": "la simulation a besoin de nouvelles affaires et d'un montant moyen par affaire sur les "
              "douze mois précédant la période",
        "en": "the what-if needs new deals and an average deal size over the 12 months before the period",
    },
    "unavailable.what_if_conversions": {
        "fr": "la simulation a besoin des taux de conversion par étape sur les douze mois précédant "
              "la période (un historique des étapes)",
        "en": "the what-if needs stage conversions over the 12 months before the period (a stage history)",
    },
    "unavailable.segments_no_closed": {
        "fr": "aucune affaire conclue dans les douze mois jusqu'au {end} n'appartient à un segment",
        "en": "no deal closed in the twelve months to {end} belongs to a segment",
    },
    "unavailable.rfm_no_revenue": {
        "fr": "aucune ligne de chiffre d'affaires n'est datée du {end} ou avant",
        "en": "no revenue line is dated on or before {end}",
    },
    "unavailable.no_churn_reason": {
        "fr": "les comptes n'ont pas de cause de désaffection (associez churn_reason sous import: "
              "accounts: dans client.yml)",
        "en": "the accounts have no churn reason (map churn_reason under import: accounts:)",
    },
    "unavailable.no_churn": {
        "fr": "aucun compte n'a été perdu au {end} ou avant",
        "en": "no account churned on or before {end}",
    },
    "unavailable.activities_without_deal": {
        "fr": "la répartition des activités par étape a besoin de la colonne activities.deal_id (l'affaire que "
              "concerne chaque activité), que le client « {client} » n'a pas associée",
        "en": "the activity mix per stage needs activities.deal_id (which deal each activity was "
              "about), which client '{client}' has not mapped",
    },
    "unavailable.no_segment_rows": {
        "fr": "aucune affaire ni ligne de chiffre d'affaires n'est rattachée à un compte : il n'y a pas de "
              "segment à analyser",
        "en": "no deal or revenue line belongs to an account: there is no segment to analyse",
    },
    "report.left_out": {"fr": "Lignes écartées : {details}.", "en": "Rows left out: {details}."},
    "report.yes": {"fr": "oui", "en": "yes"},
    "report.no": {"fr": "non", "en": "no"},
    # Canonical tables.
    "table.deals": {"fr": "Affaires", "en": "Deals"},
    "table.accounts": {"fr": "Comptes", "en": "Accounts"},
    "table.leads": {"fr": "Leads", "en": "Leads"},
    "table.stage_history": {"fr": "Historique des étapes", "en": "Stage history"},
    "table.activities": {"fr": "Activités", "en": "Activities"},
    "table.revenue": {"fr": "Lignes de chiffre d'affaires", "en": "Revenue lines"},
    "table.targets": {"fr": "Objectifs", "en": "Targets"},
    "table.reps": {"fr": "Commerciaux", "en": "Sales reps"},
    "table.products": {"fr": "Produits", "en": "Products"},
    # Column headers of the tables shown in reports.
    "column.table": {"fr": "Table", "en": "Table"},
    "column.imported": {"fr": "Importée", "en": "Imported"},
    "column.rows": {"fr": "Lignes", "en": "Rows"},
    "column.in_period": {"fr": "Dans la période", "en": "In the period"},
    "column.date_column": {"fr": "Date utilisée", "en": "Date used"},
    "column.first_date": {"fr": "Première date", "en": "First date"},
    "column.last_date": {"fr": "Dernière date", "en": "Last date"},
    "column.undated": {"fr": "Sans date", "en": "Without date"},
    "column.stage": {"fr": "Étape", "en": "Stage"},
    "column.deals": {"fr": "Affaires", "en": "Deals"},
    "column.value": {"fr": "Montant", "en": "Value"},
    "column.share_of_value": {"fr": "Part du montant", "en": "Share of value"},
    "column.measure": {"fr": "Mesure", "en": "Measure"},
    "column.count": {"fr": "Nombre", "en": "Count"},
    "column.month": {"fr": "Mois", "en": "Month"},
    "column.revenue": {"fr": "Chiffre d'affaires", "en": "Revenue"},
    "column.previous_year": {"fr": "Année précédente", "en": "Previous year"},
    # Overview section.
    "overview.title": {"fr": "Vue d'ensemble des données", "en": "Data overview"},
    "overview.intro": {
        "fr": "Les données de {client} en un coup d'œil pour la période {period} ({dates}) : volumes "
              "importés, pipeline ouvert en fin de période, affaires créées, gagnées et perdues, "
              "chiffre d'affaires des douze derniers mois.",
        "en": "{client}'s data at a glance for the period {period} ({dates}): imported volumes, the "
              "open pipeline at the end of the period, deals created, won and lost, and revenue "
              "over the last twelve months.",
    },
    "overview.volumes.title": {"fr": "Volumes et couverture des données", "en": "Volumes and data coverage"},
    "overview.volumes.note": {
        "fr": "« Dans la période » compte les lignes dont la date utilisée tombe entre le {start} "
              "et le {end} (bornes comprises).",
        "en": "“In the period” counts the rows whose date used falls between {start} and {end} "
              "(both included).",
    },
    "overview.volumes.not_imported": {
        "fr": "Tables non importées : {tables}.",
        "en": "Tables not imported: {tables}.",
    },
    "overview.pipeline.title": {"fr": "Pipeline ouvert par étape au {end}", "en": "Open pipeline by stage at {end}"},
    "overview.pipeline.note": {
        "fr": "Affaires ouvertes au {end} : créées au plus tard ce jour-là et non clôturées à cette "
              "date. {total_deals} affaires pour {total_value}. L'étape est celle de l'historique des "
              "étapes à cette date quand il est daté ({from_history} affaires), sinon l'étape actuelle.",
        "en": "Deals open at {end}: created on or before that day and not closed by then. "
              "{total_deals} deals worth {total_value}. The stage is the one the stage history shows "
              "at that date when it is dated ({from_history} deals), else the current stage.",
    },
    "overview.flows.title": {"fr": "Affaires créées, gagnées et perdues", "en": "Deals created, won and lost"},
    "overview.flows.created": {"fr": "Créées", "en": "Created"},
    "overview.flows.won": {"fr": "Gagnées", "en": "Won"},
    "overview.flows.lost": {"fr": "Perdues", "en": "Lost"},
    "overview.revenue.title": {"fr": "Chiffre d'affaires par mois", "en": "Revenue by month"},
    "overview.revenue.source.revenue_lines": {
        "fr": "Source : les lignes de chiffre d'affaires (factures), par mois de facturation.",
        "en": "Source: the revenue lines (invoices), by invoice month.",
    },
    "overview.revenue.source.won_deals": {
        "fr": "Source : le montant des affaires gagnées, par mois de clôture (aucune ligne de "
              "chiffre d'affaires importée).",
        "en": "Source: the value of won deals, by month closed (no revenue lines imported).",
    },
    "overview.revenue.previous_year_note": {
        "fr": "« Année précédente » : le même mois un an plus tôt, quand les données le couvrent.",
        "en": "“Previous year”: the same month one year earlier, when the data cover it.",
    },
    "stage.unknown": {"fr": "Étape inconnue à cette date", "en": "Stage unknown at that date"},
    # Reasons rows are left out of a figure (always shown beside it).
    "excluded.no_created_at": {"fr": "{count} sans date de création", "en": "{count} without a creation date"},
    "excluded.no_closed_at": {"fr": "{count} clôturée(s) sans date de clôture", "en": "{count} closed without a close date"},
    "excluded.no_value": {"fr": "{count} sans montant", "en": "{count} without a value"},
    "excluded.no_date": {"fr": "{count} sans date", "en": "{count} without a date"},
    "excluded.no_amount": {"fr": "{count} sans montant", "en": "{count} without an amount"},
    # Charts.
    "chart.pipeline.title": {"fr": "Pipeline ouvert au {end}", "en": "Open pipeline at {end}"},
    "chart.pipeline.axis": {"fr": "Montant ouvert ({currency})", "en": "Open value ({currency})"},
    "chart.pipeline.deals": {"fr": "{count} aff.", "en": "{count} deals"},
    "chart.revenue.title": {"fr": "Chiffre d'affaires par mois", "en": "Revenue by month"},
    "chart.revenue.axis": {"fr": "Chiffre d'affaires ({currency})", "en": "Revenue ({currency})"},
    "chart.revenue.current": {"fr": "Chiffre d'affaires", "en": "Revenue"},
    "chart.revenue.previous_year": {"fr": "Même mois, année précédente", "en": "Same month, previous year"},
    # Customer journey (strategy_kit.journey, notebook 01).
    "journey.title": {"fr": "Parcours client", "en": "Customer journey"},
    "journey.intro": {
        "fr": "Comment les affaires de {client} avancent d'étape en étape sur la période {period} "
              "({dates}) : volumes, conversion, temps passé, activités des commerciaux, affaires "
              "perdues et leurs raisons, différences entre commerciaux, sources, produits, segments "
              "et régions.",
        "en": "How {client}'s deals move from stage to stage in the period {period} ({dates}): "
              "volumes, conversion, time spent, what reps do, lost deals and why, and how owners, "
              "sources, products, segments and regions differ.",
    },
    "journey.findings.title": {"fr": "Ce que disent les chiffres", "en": "What the numbers say"},
    "journey.map.title": {"fr": "Carte du parcours", "en": "Journey map"},
    "journey.map.note": {
        "fr": "Pour chaque étape : les affaires qui y sont entrées sur la période, la part passée à "
              "l'étape suivante (flèches), le temps médian passé à l'étape (sorties de la période) et, "
              "en dessous, le nombre moyen d'activités par affaire à cette étape, par type.",
        "en": "For each stage: the deals that entered it in the period, the share that reached the "
              "next stage (arrows), the median time spent at the stage (stays that ended in the "
              "period) and, below, the mean number of activities per deal at that stage, by type.",
    },
    "journey.funnel.title": {"fr": "Entonnoir de conversion", "en": "Conversion funnel"},
    "journey.funnel.note": {
        "fr": "Entrées : affaires entrées dans l'étape sur la période, suivies jusqu'au {last_day}. "
              "Avancé : passées à une étape ultérieure ou gagnées ; conversion = avancé / entrées ; "
              "étape suivante = part ayant atteint l'étape suivante (identique sauf étape sautée) ; "
              "cumul = produit des conversions des étapes précédentes ; déperdition = perdues à "
              "l'étape ou encore à l'étape, rapportées aux entrées. Un taux sans dénominateur est "
              "noté « – ».",
        "en": "Entered: deals that entered the stage in the period, followed up to {last_day}. "
              "Moved on: reached a later stage or won; conversion = moved on / entered; next step = "
              "share that reached the next stage (the same unless a stage was skipped); cumulative = "
              "product of the conversions of the stages before; drop-off = lost there or still "
              "there, over entered. A rate without a denominator is shown as “–”.",
    },
    "journey.funnel.undated": {
        "fr": "{count} passage(s) d'étape sans date enregistrée ont pu avoir lieu pendant la période "
              "sans qu'on puisse le savoir (leurs bornes, de la création ou de l'étape datée précédente "
              "à l'étape datée suivante ou à la clôture, débordent de la période) : ils sont écartés "
              "de l'entonnoir. Ceux dont les bornes tombent dans la période y sont comptés.",
        "en": "{count} stage entries without a recorded date may have fallen in the period but cannot "
              "be placed (their bounds, from the creation or the previous dated stage to the next "
              "dated stage or the close, straddle its edges): they are left out of the funnel. Those "
              "whose bounds fall within the period are counted in it.",
    },
    "journey.time.title": {"fr": "Temps passé par étape", "en": "Time in stage"},
    "journey.time.note": {
        "fr": "En jours calendaires : de l'entrée dans l'étape à l'entrée dans l'étape suivante, pour "
              "les affaires sorties de l'étape sur la période ; cycle de vente : de la création au "
              "gain, pour les affaires gagnées sur la période. Percentiles linéaires (P75, P90). "
              "Période précédente : {previous}. « Plus lent » ou « plus rapide » : médiane en hausse "
              "ou en baisse d'au moins {share} et d'un jour, avec au moins {min} affaires dans chaque "
              "période.",
        "en": "In calendar days: from entering the stage to entering the next one, for the deals that "
              "left the stage in the period; sales cycle: from creation to won, for the deals won in "
              "the period. Linear percentiles (P75, P90). Previous period: {previous}. “Slower” or "
              "“faster”: the median moved by at least {share} and a day, with at least {min} deals "
              "in each period.",
    },
    "journey.activity.title": {"fr": "Ce que font les commerciaux à chaque étape",
                               "en": "What reps do at each stage"},
    "journey.activity.note": {
        "fr": "Activités (appels, e-mails, rendez-vous, LinkedIn) des affaires entrées dans l'étape "
              "sur la période, pendant tout leur séjour dans l'étape : une activité compte pour "
              "l'étape où se trouvait l'affaire à sa date. Nombre moyen d'activités par affaire, par "
              "type (RDV : rendez-vous).",
        "en": "Activities (calls, emails, meetings, LinkedIn) of the deals that entered the stage in "
              "the period, over their whole stay at the stage: an activity counts for the stage the "
              "deal was in at its date. Mean number of activities per deal, by type.",
    },
    "journey.activity.outcome_title": {"fr": "Affaires qui avancent et les autres",
                                       "en": "Deals that move on and the others"},
    "journey.activity.outcome_note": {
        "fr": "Les mêmes moyennes pour les affaires passées à une étape ultérieure ou gagnées (« Avancé ») "
              "et pour celles perdues à l'étape ou encore à l'étape (« Pas avancé »). Une association, "
              "pas une preuve de cause.",
        "en": "The same means for the deals that reached a later stage or were won (“Moved on”) and "
              "for those lost at the stage or still there (“Not moved on”). An association, not proof "
              "of cause.",
    },
    "journey.lost.title": {"fr": "Où et pourquoi les affaires sont perdues", "en": "Where and why deals are lost"},
    "journey.lost.note": {
        "fr": "Affaires perdues sur la période ({total}), par étape au moment de la perte et par "
              "raison de perte.",
        "en": "Deals lost in the period ({total}), by the stage they were at when lost and by lost "
              "reason.",
    },
    "journey.breakdown.title": {"fr": "Entonnoir par groupe", "en": "Funnel by group"},
    "journey.breakdown.note": {
        "fr": "Par groupe : affaires entrées dans au moins une étape sur la période, affaires gagnées "
              "et clôturées sur la période, taux de gain, et l'étape où la conversion du groupe est "
              "la plus en retrait de celle de toute l'équipe (au moins {min} affaires).",
        "en": "Per group: deals that entered at least one stage in the period, deals won and closed "
              "in the period, win rate, and the stage where the group's conversion falls furthest "
              "below the whole team's (at least {min} deals).",
    },
    "journey.breakdown.more": {
        "fr": "{count} autres groupes, plus petits, ne sont pas affichés.",
        "en": "{count} other, smaller groups are not shown.",
    },
    "journey.breakdown.owner": {"fr": "Par commercial", "en": "By owner"},
    "journey.breakdown.source": {"fr": "Par source", "en": "By source"},
    "journey.breakdown.product": {"fr": "Par produit", "en": "By product"},
    "journey.breakdown.segment": {"fr": "Par segment (secteur × taille)", "en": "By segment (sector × size)"},
    "journey.breakdown.region": {"fr": "Par région", "en": "By region"},
    "journey.cohort.title": {"fr": "Cohortes mensuelles", "en": "Monthly cohorts"},
    "journey.cohort.note": {
        "fr": "Affaires créées chaque mois et part gagnée dans les 30, 60 et 90 jours suivant leur "
              "création. « {incomplete} » : le délai n'est pas écoulé au {last_day} (dernier jour des "
              "données) pour toutes les affaires du mois ; le taux n'est pas encore mesurable.",
        "en": "Deals created each month and the share won within 30, 60 and 90 days of creation. "
              "“{incomplete}”: the window has not elapsed by {last_day} (the data's last day) for "
              "every deal of the month; the rate cannot be measured yet.",
    },
    "journey.cohort.incomplete": {"fr": "en cours", "en": "not yet"},
    "journey.sales_cycle": {"fr": "Cycle de vente (création → gain)", "en": "Sales cycle (created → won)"},
    "journey.stage_unknown": {"fr": "Étape inconnue", "en": "Unknown stage"},
    "journey.group.unknown": {"fr": "Non renseigné", "en": "Not recorded"},
    "journey.reason.none": {"fr": "raison non précisée", "en": "no reason given"},
    "journey.trend.slower": {"fr": "plus lent", "en": "slower"},
    "journey.trend.faster": {"fr": "plus rapide", "en": "faster"},
    "journey.trend.stable": {"fr": "stable", "en": "steady"},
    "journey.outcome.advanced": {"fr": "Avancé", "en": "Moved on"},
    "journey.outcome.not_advanced": {"fr": "Pas avancé", "en": "Not moved on"},
    "journey.activity_type.call": {"fr": "Appels", "en": "Calls"},
    "journey.activity_type.email": {"fr": "E-mails", "en": "Emails"},
    "journey.activity_type.meeting": {"fr": "Rendez-vous", "en": "Meetings"},
    "journey.activity_type.linkedin": {"fr": "LinkedIn", "en": "LinkedIn"},
    "journey.activity_type.other": {"fr": "Autres", "en": "Other"},
    "journey.activity_noun.call": {"fr": "appels", "en": "calls"},
    "journey.activity_noun.email": {"fr": "e-mails", "en": "emails"},
    "journey.activity_noun.meeting": {"fr": "rendez-vous", "en": "meetings"},
    "journey.activity_noun.linkedin": {"fr": "actions LinkedIn", "en": "LinkedIn actions"},
    "journey.activity_noun.other": {"fr": "autres activités", "en": "other activities"},
    "journey.column.stage": {"fr": "Étape", "en": "Stage"},
    "journey.column.entered": {"fr": "Entrées", "en": "Entered"},
    "journey.column.advanced": {"fr": "Avancé", "en": "Moved on"},
    "journey.column.lost": {"fr": "Perdues à l'étape", "en": "Lost there"},
    "journey.column.still_open": {"fr": "Encore à l'étape", "en": "Still there"},
    "journey.column.undated": {"fr": "Sans date", "en": "Undated"},
    "journey.column.next_step_conversion": {"fr": "Étape suivante", "en": "Next step"},
    "journey.column.conversion": {"fr": "Conversion", "en": "Conversion"},
    "journey.column.cumulative_conversion": {"fr": "Cumul", "en": "Cumulative"},
    "journey.column.drop_off_rate": {"fr": "Déperdition", "en": "Drop-off"},
    "journey.column.stays": {"fr": "Sorties", "en": "Exits"},
    "journey.column.median": {"fr": "Médiane", "en": "Median"},
    "journey.column.p75": {"fr": "P75", "en": "P75"},
    "journey.column.p90": {"fr": "P90", "en": "P90"},
    "journey.column.left_out": {"fr": "Durée inconnue", "en": "Time unknown"},
    "journey.column.previous_median": {"fr": "Méd. préc.", "en": "Prev. median"},
    "journey.column.change": {"fr": "Écart", "en": "Change"},
    "journey.column.trend": {"fr": "Tendance", "en": "Trend"},
    "journey.column.deals": {"fr": "Affaires", "en": "Deals"},
    "journey.column.activities": {"fr": "Activités", "en": "Activities"},
    "journey.column.total": {"fr": "Total", "en": "Total"},
    "journey.column.outcome": {"fr": "Issue", "en": "Outcome"},
    "journey.column.call": {"fr": "Appels", "en": "Calls"},
    "journey.column.email": {"fr": "E-mails", "en": "Emails"},
    "journey.column.meeting": {"fr": "RDV", "en": "Meetings"},
    "journey.column.linkedin": {"fr": "LinkedIn", "en": "LinkedIn"},
    "journey.column.other": {"fr": "Autres", "en": "Other"},
    "journey.column.lost_deals": {"fr": "Perdues", "en": "Lost"},
    "journey.column.share_of_lost": {"fr": "Part des pertes", "en": "Share of losses"},
    "journey.column.main_reasons": {"fr": "Principales raisons", "en": "Main reasons"},
    "journey.column.won": {"fr": "Gagnées", "en": "Won"},
    "journey.column.closed": {"fr": "Clôturées", "en": "Closed"},
    "journey.column.win_rate": {"fr": "Taux de gain", "en": "Win rate"},
    "journey.column.weakest_stage": {"fr": "Étape la plus faible", "en": "Weakest stage"},
    "journey.column.weakest_conversion": {"fr": "Sa conversion", "en": "Its conversion"},
    "journey.column.team_conversion": {"fr": "Équipe", "en": "Team"},
    "journey.column.month": {"fr": "Mois de création", "en": "Month created"},
    "journey.column.created": {"fr": "Affaires créées", "en": "Deals created"},
    "journey.column.won_30d": {"fr": "Gagnées sous 30 j", "en": "Won within 30 d"},
    "journey.column.won_60d": {"fr": "Gagnées sous 60 j", "en": "Won within 60 d"},
    "journey.column.won_90d": {"fr": "Gagnées sous 90 j", "en": "Won within 90 d"},
    "journey.column.won_to_date": {"fr": "Gagnées à ce jour", "en": "Won to date"},
    "journey.column.group.owner": {"fr": "Commercial", "en": "Owner"},
    "journey.column.group.source": {"fr": "Source", "en": "Source"},
    "journey.column.group.product": {"fr": "Produit", "en": "Product"},
    "journey.column.group.segment": {"fr": "Segment", "en": "Segment"},
    "journey.column.group.region": {"fr": "Région", "en": "Region"},
    "journey.chart.empty": {"fr": "Aucune affaire sur la période.", "en": "No deals in the period."},
    "journey.chart.map.title": {"fr": "Carte du parcours client", "en": "Customer journey map"},
    "journey.chart.map.entered": {"fr": "entrées", "en": "entered"},
    "journey.chart.map.median": {"fr": "médiane {days} j", "en": "median {days} d"},
    "journey.chart.map.cycle": {"fr": "cycle {days} j", "en": "cycle {days} d"},
    "journey.chart.map.mix_axis": {"fr": "Activités par affaire", "en": "Activities per deal"},
    "journey.chart.funnel.title": {"fr": "Entonnoir : entrées par étape et ce qu'elles sont devenues",
                                   "en": "Funnel: deals entering each stage and what became of them"},
    "journey.chart.funnel.advanced": {"fr": "Avancé ou gagné", "en": "Moved on or won"},
    "journey.chart.funnel.lost": {"fr": "Perdues à l'étape", "en": "Lost there"},
    "journey.chart.funnel.still_open": {"fr": "Encore à l'étape", "en": "Still there"},
    "journey.chart.funnel.header": {"fr": "Entrées · étape suivante · cumul",
                                    "en": "Entered · next step · cumulative"},
    "journey.chart.funnel.row": {"fr": "{entered} · {next_step} · {cumulative}",
                                 "en": "{entered} · {next_step} · {cumulative}"},
    "journey.chart.time.title": {"fr": "Jours passés par étape", "en": "Days spent per stage"},
    "journey.chart.time.axis": {"fr": "Jours", "en": "Days"},
    "journey.chart.time.median": {"fr": "Médiane", "en": "Median"},
    "journey.chart.time.p75": {"fr": "Jusqu'au P75", "en": "Up to P75"},
    "journey.chart.time.p90": {"fr": "Jusqu'au P90", "en": "Up to P90"},
    "journey.chart.time.previous": {"fr": "Médiane, période précédente", "en": "Median, previous period"},
    "journey.chart.lost.title": {"fr": "Affaires perdues par étape et raison", "en": "Deals lost by stage and reason"},
    "journey.chart.lost.axis": {"fr": "Affaires perdues sur la période", "en": "Deals lost in the period"},
    "journey.chart.lost.other": {"fr": "Autres raisons ou non précisée", "en": "Other or no reason given"},
    "journey.chart.breakdown.title.owner": {"fr": "Conversion par étape et par commercial",
                                            "en": "Conversion per stage and owner"},
    "journey.chart.breakdown.title.source": {"fr": "Conversion par étape et par source",
                                             "en": "Conversion per stage and source"},
    "journey.chart.breakdown.title.product": {"fr": "Conversion par étape et par produit",
                                              "en": "Conversion per stage and product"},
    "journey.chart.breakdown.title.segment": {"fr": "Conversion par étape et par segment",
                                              "en": "Conversion per stage and segment"},
    "journey.chart.breakdown.title.region": {"fr": "Conversion par étape et par région",
                                             "en": "Conversion per stage and region"},
    "journey.chart.breakdown.win_rate": {"fr": "Taux de gain (gagnées/clôturées)", "en": "Win rate (won/closed)"},
    "journey.chart.breakdown.note": {
        "fr": "Bleu : au-dessus de la conversion de l'équipe ; orange : en dessous. En gris : moins de "
              "{min} affaires.",
        "en": "Blue: above the team's conversion; orange: below. Grey: fewer than {min} deals.",
    },
    "journey.finding.loses_most": {
        "fr": "L'étape « {stage} » perd le plus d'affaires : {lost_rate} des affaires qui y sont "
              "entrées sur la période y ont été perdues ({lost} sur {entered}) ; avec celles qui y "
              "sont encore, la déperdition atteint {drop_off_rate}.",
        "en": "{stage} loses the most deals: {lost_rate} of the deals that entered it in the period "
              "were lost there ({lost} of {entered}); counting those still there, the drop-off is "
              "{drop_off_rate}.",
    },
    "journey.finding.no_loss": {
        "fr": "Aucune des affaires entrées dans une étape sur la période n'y a été perdue.",
        "en": "None of the deals that entered a stage in the period was lost there.",
    },
    "journey.finding.too_few": {
        "fr": "Trop peu d'affaires sont entrées dans les étapes sur la période (moins de {min} par "
              "étape) pour désigner celle qui en perd le plus.",
        "en": "Too few deals entered the stages in the period (fewer than {min} per stage) to name "
              "the one that loses most.",
    },
    "journey.finding.slower": {
        "fr": "L'étape « {stage} » a ralenti : {median} jours en médiane contre {previous} sur la "
              "période précédente ({deals} affaires sorties de l'étape, contre {previous_deals}).",
        "en": "{stage} got slower: a median of {median} days vs {previous} in the previous period "
              "({deals} deals left the stage, {previous_deals} before).",
    },
    "journey.finding.faster": {
        "fr": "L'étape « {stage} » s'est accélérée : {median} jours en médiane contre {previous} sur "
              "la période précédente ({deals} affaires sorties de l'étape, contre {previous_deals}).",
        "en": "{stage} got faster: a median of {median} days vs {previous} in the previous period "
              "({deals} deals left the stage, {previous_deals} before).",
    },
    "journey.finding.steady": {
        "fr": "Aucune étape n'a nettement ralenti ni accéléré par rapport à la période précédente "
              "(médiane stable à {share} ou un jour près, ou moins de {min} affaires).",
        "en": "No stage got clearly slower or faster than in the previous period (median within "
              "{share} or a day, or fewer than {min} deals).",
    },
    "journey.finding.cycle": {
        "fr": "Cycle de vente, de la création au gain : {median} jours en médiane sur {deals} affaires "
              "gagnées, contre {previous} jours sur la période précédente ({previous_deals} affaires).",
        "en": "Sales cycle, from creation to won: a median of {median} days over {deals} deals won, "
              "vs {previous} days in the previous period ({previous_deals} deals).",
    },
    "journey.finding.cycle_no_previous": {
        "fr": "Cycle de vente, de la création au gain : {median} jours en médiane sur {deals} affaires "
              "gagnées (aucune affaire gagnée sur la période précédente).",
        "en": "Sales cycle, from creation to won: a median of {median} days over {deals} deals won "
              "(no deal won in the previous period).",
    },
    "journey.finding.cycle_none": {
        "fr": "Aucune affaire gagnée sur la période : pas de cycle de vente à mesurer.",
        "en": "No deal was won in the period: no sales cycle to measure.",
    },
    "journey.finding.cycle_unmeasured": {
        "fr": "Affaires gagnées sur la période : {won}, mais aucune n'a de date de création : le cycle de "
              "vente n'est pas mesurable.",
        "en": "Deals won in the period: {won}, but none has a creation date: the sales cycle cannot be "
              "measured.",
    },
    "journey.finding.cycle_no_close_date": {
        "fr": "Affaires gagnées sans date de clôture : {count}. On ne peut pas savoir si elles l'ont été sur "
              "la période, et leur cycle de vente n'est pas mesurable.",
        "en": "Won deals without a close date: {count}. Whether they were won in the period is unknown, and "
              "their sales cycle cannot be measured.",
    },
    "journey.finding.cycle_partly": {
        "fr": "Le cycle de vente n'est pas mesurable pour {missing} des {won} affaires gagnées sur la "
              "période (date de création manquante).",
        "en": "The sales cycle is not measurable for {missing} of the {won} deals won in the period "
              "(no creation date).",
    },
    "journey.finding.activity_mix": {
        "fr": "À l'étape « {stage} », les affaires qui ont avancé ont reçu {advanced} {activity} par "
              "affaire, contre {other} pour celles perdues ou restées à l'étape ({advanced_deals} "
              "affaires contre {other_deals}).",
        "en": "At {stage}, the deals that moved on had {advanced} {activity} per deal, vs {other} for "
              "those lost or still there ({advanced_deals} deals vs {other_deals}).",
    },
    "journey.finding.activity_none": {
        "fr": "Aucune étape ne montre plus d'activités pour les affaires qui avancent que pour les "
              "autres (au moins {min} affaires dans chaque groupe).",
        "en": "No stage shows more activities for the deals that move on than for the others (at "
              "least {min} deals in each group).",
    },
    "journey.finding.owners": {
        "fr": "Meilleur taux de gain : {best}, {best_rate} ({best_won} affaires gagnées sur "
              "{best_closed} clôturées) ; le plus faible : {worst}, {worst_rate} ({worst_won} sur "
              "{worst_closed}).",
        "en": "Best win rate: {best}, {best_rate} ({best_won} deals won of {best_closed} closed); "
              "lowest: {worst}, {worst_rate} ({worst_won} of {worst_closed}).",
    },
    "journey.finding.owner_weakest": {
        "fr": "Étape la plus en retrait pour {owner} par rapport à l'équipe : « {stage} » ({conversion} "
              "de conversion contre {team}).",
        "en": "{owner}'s weakest stage compared with the team: {stage} ({conversion} conversion vs "
              "{team}).",
    },
    "journey.finding.owners_too_few": {
        "fr": "Moins de deux commerciaux ont au moins {min} affaires clôturées sur la période : pas "
              "de comparaison.",
        "en": "Fewer than two owners closed at least {min} deals in the period: no comparison.",
    },
    "excluded.undated_stage_entry": {"fr": "{count} passage(s) d'étape sans date",
                                     "en": "{count} stage entries without a date"},
    "excluded.undated_stay": {
        "fr": "{count} séjour(s) de durée inconnue (étapes franchies sans date)",
        "en": "{count} stays of unknown length (stages passed without a date)",
    },
    "excluded.activity_after_close": {"fr": "{count} activité(s) après la clôture de l'affaire",
                                      "en": "{count} activities after the deal was closed"},
    "excluded.activity_before_first_stage": {
        "fr": "{count} activité(s) antérieure(s) à la première étape datée de l'affaire",
        "en": "{count} activities before the deal's first dated stage",
    },
    "excluded.activity_stage_unknown": {
        "fr": "{count} activité(s) à une étape inconnue (étapes franchies sans date)",
        "en": "{count} activities at an unknown stage (stages passed without a date)",
    },
    # KPIs (strategy_kit.kpis, strategy-kit kpis).
    "kpis.title": {
        "fr": "Indicateurs clés de {client} — {period} ({dates})",
        "en": "Key performance indicators of {client} — {period} ({dates})",
    },
    "kpis.family.activity": {"fr": "Mesures d'activité", "en": "Activity"},
    "kpis.family.pipeline": {"fr": "Mesures du pipeline", "en": "Pipeline"},
    "kpis.family.conversion": {"fr": "Conversion et durée par étape", "en": "Conversion and time by stage"},
    "kpis.family.lead_generation": {"fr": "Génération de leads", "en": "Lead generation"},
    "kpis.family.outreach": {"fr": "Sensibilisation", "en": "Outreach"},
    "kpis.family.business": {"fr": "Indicateurs de performance", "en": "Business performance"},
    "kpis.column.kpi": {"fr": "Indicateur", "en": "KPI"},
    "kpis.column.value": {"fr": "Valeur", "en": "Value"},
    "kpis.column.note": {"fr": "Remarque", "en": "Note"},
    "kpis.total": {"fr": "Total", "en": "Total"},
    "kpis.breakdown.title": {"fr": "Par {dimension}", "en": "By {dimension}"},
    "kpis.group.none": {"fr": "(non renseigné)", "en": "(not set)"},
    # Calendar breakdown groups as shown (machine output keeps "1 Monday"…: kpis.dimensions.WEEKDAYS).
    "kpis.weekday.1": {"fr": "1 lundi", "en": "1 Monday"},
    "kpis.weekday.2": {"fr": "2 mardi", "en": "2 Tuesday"},
    "kpis.weekday.3": {"fr": "3 mercredi", "en": "3 Wednesday"},
    "kpis.weekday.4": {"fr": "4 jeudi", "en": "4 Thursday"},
    "kpis.weekday.5": {"fr": "5 vendredi", "en": "5 Friday"},
    "kpis.weekday.6": {"fr": "6 samedi", "en": "6 Saturday"},
    "kpis.weekday.7": {"fr": "7 dimanche", "en": "7 Sunday"},
    "kpis.note.excluded": {
        "fr": "{count} ligne(s) écartée(s) faute de date ou de donnée",
        "en": "{count} row(s) left out for a missing date or value",
    },
    "kpis.note.no_denominator": {"fr": "dénominateur vide", "en": "empty denominator"},
    "kpis.note.unavailable": {"fr": "non disponible : {reason}", "en": "not available: {reason}"},
    "kpis.note.not_broken_down": {"fr": "Sans ventilation de ce type : {kpis}.", "en": "Not broken down this way: {kpis}."},
    "kpis.note.not_covered": {
        "fr": "année précédente non couverte par les données, ou chiffre d'affaires nul",
        "en": "the year before is not covered by the data, or its revenue is 0",
    },
    "kpis.unit.days": {"fr": "{value} j", "en": "{value} d"},
    "kpis.unit.hours": {"fr": "{value} h", "en": "{value} h"},
    "kpis.unit.per_day": {"fr": "{value}/j", "en": "{value}/day"},
    "kpis.reason.no_table": {"fr": "table « {table} » non importée", "en": "no {table} table"},
    "kpis.reason.no_column": {
        "fr": "aucune valeur de {column} dans la table « {table} »",
        "en": "no {column} in the {table}",
    },
    "kpis.reason.no_calls": {"fr": "aucun appel dans les activités", "en": "no calls in the activities"},
    "kpis.reason.no_emails": {
        "fr": "aucun e-mail envoyé dans les activités",
        "en": "no outbound emails in the activities",
    },
    "kpis.reason.no_meetings": {"fr": "aucun rendez-vous dans les activités", "en": "no meetings in the activities"},
    "kpis.reason.no_linkedin": {
        "fr": "aucune demande de connexion LinkedIn dans les activités",
        "en": "no LinkedIn connection requests in the activities",
    },
    "kpis.reason.no_email_outcomes": {
        "fr": "aucun résultat d'e-mail (ouvert, répondu, rejeté) dans les données",
        "en": "no email outcomes in the data",
    },
    "kpis.reason.no_call_outcomes": {
        "fr": "aucun résultat d'appel dans les données",
        "en": "no call outcomes in the data",
    },
    "kpis.reason.no_linkedin_outcomes": {
        "fr": "aucune réponse aux demandes LinkedIn (acceptée, refusée) dans les données",
        "en": "no LinkedIn request outcomes (accepted, declined) in the data",
    },
    "kpis.reason.no_activity_links": {
        "fr": "aucune activité rattachée à un lead ou à une affaire (lead_id, deal_id)",
        "en": "no activity is linked to a lead or a deal (lead_id, deal_id)",
    },
    "kpis.reason.no_lead_activities": {
        "fr": "aucune activité rattachée à un lead (activities.lead_id)",
        "en": "no activity is linked to a lead (activities.lead_id)",
    },
    "kpis.reason.no_lead_deal_link": {
        "fr": "aucun lien entre leads et affaires (leads.deal_id, leads.converted_at ou deals.lead_id)",
        "en": "no link between leads and deals (leads.deal_id, leads.converted_at or deals.lead_id)",
    },
    "kpis.reason.no_revenue_accounts": {
        "fr": "aucun compte rattaché au chiffre d'affaires (account_id)",
        "en": "no account on the revenue (account_id)",
    },
    "kpis.reason.not_by_dimension": {
        "fr": "ne se ventile pas par {dimension}",
        "en": "cannot be broken down by {dimension}",
    },
    # Baselines (strategy_kit.baselines, notebook 05).
    "baseline.title": {"fr": "Indicateurs de référence", "en": "Baseline KPIs"},
    "baseline.none": {
        "fr": "les valeurs de référence n'ont pas pu être calculées (la raison est donnée en tête de ce chapitre)",
        "en": "the baselines could not be computed (the reason is given at the top of this chapter)",
    },
    "baseline.intro": {
        "fr": "Chaque indicateur de la période {period} ({dates}) face à sa référence, sa valeur sur "
              "les douze mois précédents ({start} à {end}), et face à la même période un an plus tôt.",
        "en": "Every KPI of the period {period} ({dates}) against its baseline, its value over the "
              "twelve months before ({start} to {end}), and against the same period a year earlier.",
    },
    "baseline.rule.quarter": {
        "fr": "Règle de comparaison : les volumes et montants sont comparés à la moyenne des quatre "
              "trimestres de la référence ; les taux, médianes et moyennes à leur valeur sur les douze "
              "mois ({start} – {end}) ; le pipeline ouvert à son niveau moyen en fin de mois. "
              "Même période un an plus tôt : {previous_year}.",
        "en": "Comparison rule: counts and amounts are compared with the mean of the baseline's four "
              "quarters; rates, medians and averages with their value over the twelve months "
              "({start} – {end}); the open pipeline with its mean month-end level. Same period a year "
              "earlier: {previous_year}.",
    },
    "baseline.rule.month": {
        "fr": "Règle de comparaison : les volumes et montants sont comparés à la moyenne des douze "
              "mois de la référence ; les taux, médianes et moyennes à leur valeur sur ces douze mois "
              "({start} – {end}) ; le pipeline ouvert à son niveau moyen en fin de mois. Même période "
              "un an plus tôt : {previous_year}.",
        "en": "Comparison rule: counts and amounts are compared with the mean of the baseline's twelve "
              "months; rates, medians and averages with their value over those twelve months "
              "({start} – {end}); the open pipeline with its mean month-end level. Same period a year "
              "earlier: {previous_year}.",
    },
    "baseline.rule.year": {
        "fr": "Règle de comparaison : chaque indicateur est comparé à sa valeur sur les douze mois "
              "précédents ({start} – {end}) ; le pipeline ouvert à son niveau moyen en fin de mois. "
              "Même période un an plus tôt : {previous_year}.",
        "en": "Comparison rule: every KPI is compared with its value over the twelve months before "
              "({start} – {end}); the open pipeline with its mean month-end level. Same period a year "
              "earlier: {previous_year}.",
    },
    "baseline.rule.other": {
        "fr": "Règle de comparaison : les volumes et montants sont comparés au total des douze mois de "
              "la référence ({start} – {end}) ramené au nombre de jours de la période ; les taux, "
              "médianes et moyennes à leur valeur sur ces douze mois ; le pipeline ouvert à son niveau "
              "moyen en fin de mois. Même période un an plus tôt : {previous_year}.",
        "en": "Comparison rule: counts and amounts are compared with the baseline's twelve-month total "
              "({start} – {end}) prorated to the period's days; rates, medians and averages with their "
              "value over those twelve months; the open pipeline with its mean month-end level. Same "
              "period a year earlier: {previous_year}.",
    },
    "baseline.highlights.title": {"fr": "Ce qui a bougé", "en": "What moved"},
    "baseline.family.activity": {"fr": "Mesures d'activité", "en": "Activity"},
    "baseline.family.pipeline": {"fr": "Mesures du pipeline", "en": "Pipeline"},
    "baseline.family.lead_generation": {"fr": "Génération de leads", "en": "Lead generation"},
    "baseline.family.outreach": {"fr": "Sensibilisation", "en": "Outreach"},
    "baseline.family.conversion": {"fr": "Conversion", "en": "Conversion"},
    "baseline.family.business": {"fr": "Indicateurs de performance", "en": "Business performance"},
    "baseline.column.kpi": {"fr": "Indicateur", "en": "KPI"},
    "baseline.column.value": {"fr": "Période", "en": "Period"},
    "baseline.column.baseline": {"fr": "Référence", "en": "Baseline"},
    "baseline.column.change": {"fr": "Écart à la référence", "en": "Change vs baseline"},
    "baseline.column.verdict": {"fr": "Tendance", "en": "Verdict"},
    "baseline.column.previous_year": {"fr": "Même période N-1", "en": "Same period last year"},
    "baseline.column.previous_year_change": {"fr": "Écart à N-1", "en": "Change vs last year"},
    "baseline.column.reason": {"fr": "Raison", "en": "Reason"},
    "baseline.column.owner": {"fr": "Commercial", "en": "Sales rep"},
    "baseline.column.months_of_history": {"fr": "Historique (mois)", "en": "Months of history"},
    "baseline.column.quarter": {"fr": "Trimestre", "en": "Quarter"},
    # Column headers of the key KPIs: the KPI registry's labels (a test keeps them equal).
    "baseline.column.revenue": {"fr": "Chiffre d'affaires", "en": "Revenue"},
    "baseline.column.won_value": {"fr": "Montant gagné", "en": "Won value"},
    "baseline.column.deals_won": {"fr": "Affaires gagnées", "en": "Deals won"},
    "baseline.column.win_rate": {"fr": "Taux de transformation", "en": "Win rate"},
    "baseline.column.new_deals": {"fr": "Nouvelles affaires", "en": "New deals"},
    "baseline.column.calls_made": {"fr": "Appels passés", "en": "Calls made"},
    "baseline.verdict.better": {"fr": "▲\u00a0mieux", "en": "▲\u00a0better"},
    "baseline.verdict.worse": {"fr": "▼\u00a0moins\u00a0bien", "en": "▼\u00a0worse"},
    "baseline.verdict.stable": {"fr": "=\u00a0stable", "en": "=\u00a0stable"},
    "baseline.missing": {"fr": "–", "en": "–"},
    "baseline.points": {"fr": "{value}\u00a0pts", "en": "{value}\u00a0pts"},
    "baseline.unit.days": {"fr": "{value}\u00a0j", "en": "{value}\u00a0d"},
    "baseline.unit.hours": {"fr": "{value}\u00a0h", "en": "{value}\u00a0h"},
    "baseline.unit.per_day": {"fr": "{value}/j", "en": "{value}/day"},
    "baseline.quarter": {"fr": "T{quarter} {year}", "en": "Q{quarter} {year}"},
    "baseline.list_separator": {"fr": "\u202f; ", "en": "; "},
    "baseline.excluded": {
        "fr": "Lignes écartées faute de date : {items}.",
        "en": "Rows left out for a missing date: {items}.",
    },
    "baseline.excluded_item": {"fr": "{kpi} {count}", "en": "{kpi} {count}"},
    "baseline.unavailable.note": {
        "fr": "Indicateurs non disponibles avec les données du client :",
        "en": "KPIs the client's data cannot support:",
    },
    "baseline.months_flagged": {"fr": "{months} (historique court)", "en": "{months} (short history)"},
    "baseline.quarter_baseline": {"fr": "Référence par trimestre", "en": "Baseline per quarter"},
    "baseline.reps.title": {"fr": "Références par commercial", "en": "Baselines per sales rep"},
    "baseline.reps.note": {
        "fr": "Chaque référence vient de l'historique propre du commercial sur les douze mois, pas de "
              "la moyenne de l'équipe : volumes et montants par mois d'historique, ramenés à la durée "
              "de la période ; taux sur ses douze mois. Un mois d'historique est un mois avec au moins "
              "une affaire (créée ou clôturée) ou une activité du commercial. Moins de {min} mois : "
              "« historique court », la référence est extrapolée de peu de mois et reste indicative.",
        "en": "Each baseline comes from the rep's own history over the twelve months, not the team "
              "average: counts and amounts per month of history, scaled to the period's length; rates "
              "over the rep's twelve months. A month of history is a month with at least one deal "
              "(created or closed) or activity of the rep. Fewer than {min} months: “short history”, "
              "the baseline is extrapolated from a few months and only indicative.",
    },
    "baseline.quarterly.title": {"fr": "Référence par trimestre", "en": "Baseline by quarter"},
    "baseline.seasonal.title": {"fr": "Saisonnalité : part de chaque mois dans l'année",
                                "en": "Seasonal profile: each month's share of the year"},
    "baseline.seasonal.note": {
        "fr": "Part de l'année : la valeur du mois divisée par le total des douze mois de la référence "
              "(un tiret quand les données ne couvrent pas les douze mois).",
        "en": "Share of the year: the month's value divided by the baseline's twelve-month total (a "
              "dash when the data do not cover the twelve months).",
    },
    "baseline.history.title": {"fr": "Historique mensuel et trimestriel", "en": "Monthly and quarterly history"},
    "baseline.history.note": {
        "fr": "Barres grises : les douze mois (ou quatre trimestres) de la référence ; barres bleues : "
              "la période ; ligne orange : la même période un an plus tôt ; pointillés : le niveau de "
              "référence pour un mois ou un trimestre.",
        "en": "Grey bars: the baseline's twelve months (or four quarters); blue bars: the period; "
              "orange line: the same month or quarter a year earlier; dashed line: the baseline level "
              "for a month or a quarter.",
    },
    "baseline.narrative.item": {
        "fr": "{kpi} {change} ({value} contre {baseline})",
        "en": "{kpi} {change} ({value} vs {baseline})",
    },
    "baseline.narrative.improvements": {
        "fr": "Plus fortes progressions par rapport à la référence : {items}.",
        "en": "Biggest improvements against the baseline: {items}.",
    },
    "baseline.narrative.declines": {
        "fr": "Plus forts reculs par rapport à la référence : {items}.",
        "en": "Biggest declines against the baseline: {items}.",
    },
    "baseline.narrative.no_improvements": {
        "fr": "Aucun indicateur ne fait mieux que sa référence.",
        "en": "No KPI does better than its baseline.",
    },
    "baseline.narrative.no_declines": {
        "fr": "Aucun indicateur ne fait moins bien que sa référence.",
        "en": "No KPI does worse than its baseline.",
    },
    "baseline.narrative.window_yoy": {
        "fr": "{kpi} des douze mois de la référence ({start} – {end}) : {value}, {change} par rapport "
              "aux douze mois précédents ({previous}).",
        "en": "{kpi} over the baseline's twelve months ({start} – {end}): {value}, {change} on the "
              "twelve months before ({previous}).",
    },
    "baseline.narrative.window_no_yoy": {
        "fr": "{kpi} des douze mois de la référence ({start} – {end}) : {value} ; les données ne "
              "couvrent pas les douze mois précédents, la croissance sur un an n'est pas calculable.",
        "en": "{kpi} over the baseline's twelve months ({start} – {end}): {value}; the data do not "
              "cover the twelve months before, so year-over-year growth cannot be computed.",
    },
    "baseline.narrative.partial": {
        "fr": "Attention : les données ne couvrent pas toute la référence pour certains indicateurs "
              "(jusqu'à {months} mois sur douze seulement) ; leurs références ne reposent que sur les "
              "mois couverts.",
        "en": "Caution: the data do not cover the whole baseline for some KPIs (as few as {months} of "
              "the twelve months); their baselines rest on the covered months only.",
    },
    "baseline.narrative.no_baseline": {
        "fr": "Les données ne couvrent pas les douze mois de la référence ({start} – {end}) : aucune "
              "référence n'est calculable pour cette période.",
        "en": "The data do not cover the baseline's twelve months ({start} – {end}): no baseline can "
              "be computed for this period.",
    },
    "baseline.narrative.reps_flagged": {
        "fr": "Historique court (moins de {min} mois sur les douze) pour {count} commercial(aux) : "
              "{reps} ; leurs références sont indicatives.",
        "en": "Short history (fewer than {min} of the twelve months) for {count} rep(s): {reps}; "
              "their baselines are only indicative.",
    },
    "baseline.narrative.rep_months": {"fr": "{owner} ({months} mois)", "en": "{owner} ({months} months)"},
    "baseline.narrative.reps_none_flagged": {
        "fr": "Tous les commerciaux ont au moins {min} mois d'historique sur les douze.",
        "en": "Every rep has at least {min} months of history out of the twelve.",
    },
    "baseline.narrative.reps_moves": {
        "fr": "{kpi} par rapport à la propre référence de chacun : plus forte progression pour "
              "{best} ({best_change}), plus fort recul pour {worst} ({worst_change}).",
        "en": "{kpi} against their own baseline: {best} improved most ({best_change}), {worst} fell "
              "back most ({worst_change}).",
    },
    "baseline.narrative.reps_all_up": {
        "fr": "{kpi} : tous les commerciaux dépassent leur propre référence, de {worst_change} "
              "({worst}) à {best_change} ({best}).",
        "en": "{kpi}: every rep is above their own baseline, from {worst_change} ({worst}) to "
              "{best_change} ({best}).",
    },
    "baseline.narrative.reps_all_down": {
        "fr": "{kpi} : tous les commerciaux sont sous leur propre référence, de {best_change} "
              "({best}) à {worst_change} ({worst}).",
        "en": "{kpi}: every rep is below their own baseline, from {best_change} ({best}) to "
              "{worst_change} ({worst}).",
    },
    "baseline.chart.by_month": {"fr": "Par mois", "en": "By month"},
    "baseline.chart.by_quarter": {"fr": "Par trimestre", "en": "By quarter"},
    "baseline.chart.baseline_periods": {"fr": "Référence (12 mois)", "en": "Baseline (12 months)"},
    "baseline.chart.period": {"fr": "Période", "en": "Period"},
    "baseline.chart.previous_year": {"fr": "Un an plus tôt", "en": "A year earlier"},
    "baseline.chart.level": {"fr": "Niveau de référence", "en": "Baseline level"},
    # Lead qualification and persona (strategy_kit.qualification, notebook 02).
    "qualification.title": {"fr": "Qualification des leads", "en": "Lead qualification"},
    "qualification.intro": {
        "fr": "Les leads et les affaires de {client} sont-ils vérifiés par rapport au persona dès le premier "
              "échange ? Part hors persona, effort qui leur est consacré et taux de gain, sur les 12 mois du "
              "{start} au {end} ; ce qui va avec le gain, appris des affaires conclues jusqu'au {end}.",
        "en": "Are {client}'s leads and deals checked against the buyer persona from the first exchange? Share "
              "outside the persona, effort spent on them and win rates over the 12 months from {start} to "
              "{end}; what goes with winning, learned from the deals closed up to {end}.",
    },
    "qualification.persona.title": {"fr": "Le persona", "en": "The persona"},
    "qualification.persona.none": {
        "fr": "Aucun persona enregistré : remplissez le formulaire du persona dans le notebook 02. Seule la "
              "partie tirée des données est montrée.",
        "en": "No persona saved yet: fill the persona form in notebook 02. Only the data-driven part is shown.",
    },
    "qualification.persona.sectors": {"fr": "Secteurs visés : {values}.", "en": "Target sectors: {values}."},
    "qualification.persona.size_bands": {"fr": "Tailles d'entreprise visées : {values}.",
                                         "en": "Target company sizes: {values}."},
    "qualification.persona.employees": {"fr": "Effectif visé : de {low} à {high} salariés.",
                                        "en": "Target headcount: {low} to {high} employees."},
    "qualification.persona.regions": {"fr": "Régions visées : {values}.", "en": "Target regions: {values}."},
    "qualification.persona.needs": {"fr": "Besoins : {values}.", "en": "Needs: {values}."},
    "qualification.persona.pain_points": {"fr": "Difficultés rencontrées : {values}.", "en": "Pain points: {values}."},
    "qualification.persona.disqualifiers": {"fr": "Critères d'exclusion : {values}.", "en": "Disqualifiers: {values}."},
    "qualification.persona.no_criteria": {
        "fr": "Le persona ne fixe ni secteur, ni taille, ni région : l'adéquation des leads ne peut pas être vérifiée.",
        "en": "The persona sets no sector, size or region: the fit of leads cannot be checked.",
    },
    "qualification.findings.title": {"fr": "Ce que disent les chiffres", "en": "What the numbers say"},
    "qualification.finding.outside_deals": {
        "fr": "{share} des affaires créées sur les 12 mois sont hors persona ({count} sur {total}) ; {unknown} "
              "ne peuvent pas être vérifiées (données d'entreprise manquantes).",
        "en": "{share} of the deals created over the 12 months are outside the persona ({count} of {total}); "
              "{unknown} cannot be checked (company data missing).",
    },
    "qualification.finding.outside_leads": {
        "fr": "{share} des leads arrivés sur les 12 mois sont hors persona ({count} sur {total}) ; {unknown} "
              "ne peuvent pas être vérifiés.",
        "en": "{share} of the leads that arrived over the 12 months are outside the persona ({count} of "
              "{total}); {unknown} cannot be checked.",
    },
    "qualification.finding.no_deals": {"fr": "Aucune affaire créée sur les 12 mois.",
                                       "en": "No deal was created over the 12 months."},
    "qualification.finding.no_leads": {"fr": "Aucun lead arrivé sur les 12 mois.",
                                       "en": "No lead arrived over the 12 months."},
    "qualification.finding.effort": {
        "fr": "{share} des activités sur les {scope} ({count} sur {total}) sont allées à des {scope} hors "
              "persona : {per_outside} par élément hors persona contre {per_fit} dans le persona.",
        "en": "{share} of the activities on {scope} ({count} of {total}) went to {scope} outside the persona: "
              "{per_outside} each outside the persona against {per_fit} inside.",
    },
    "qualification.finding.effort_hours": {
        "fr": "{share} des activités sur les {scope} ({count} sur {total}, {hours} h enregistrées) sont allées "
              "à des {scope} hors persona : {per_outside} par élément hors persona contre {per_fit} dans le persona.",
        "en": "{share} of the activities on {scope} ({count} of {total}, {hours} h logged) went to {scope} "
              "outside the persona: {per_outside} each outside the persona against {per_fit} inside.",
    },
    "qualification.finding.win_rates": {
        "fr": "Les affaires dans le persona sont gagnées à {fit_rate} ({fit_closed} conclues), celles hors "
              "persona à {outside_rate} ({outside_closed}) ; cycle médian des affaires gagnées : {fit_cycle} "
              "jours contre {outside_cycle}.",
        "en": "Deals that fit the persona win {fit_rate} of the time ({fit_closed} closed), those outside it "
              "{outside_rate} ({outside_closed}); median cycle of the deals won: {fit_cycle} days against "
              "{outside_cycle}.",
    },
    "qualification.finding.too_few": {
        "fr": "Trop peu d'affaires conclues (moins de {min} dans un des groupes) pour comparer le taux de gain "
              "dans et hors persona.",
        "en": "Too few closed deals (fewer than {min} in a group) to compare the win rate inside and outside "
              "the persona.",
    },
    "qualification.finding.missing": {
        "fr": "{attribute} « {value} » n'est pas dans le persona mais gagne {win_rate} de ses affaires "
              "({ci_low}–{ci_high}, {deals} conclues), {lift} fois la moyenne ({overall}) : à envisager "
              "d'ajouter au persona.",
        "en": "{attribute} “{value}” is not in the persona but wins {win_rate} of its deals ({ci_low}–{ci_high}, "
              "{deals} closed), {lift} times the average ({overall}): consider adding it to the persona.",
    },
    "qualification.finding.wrongly_included": {
        "fr": "{attribute} « {value} » est dans le persona mais ne gagne que {win_rate} de ses affaires "
              "({ci_low}–{ci_high}, {deals} conclues), {lift} fois la moyenne ({overall}) : à retirer du "
              "persona, ou à qualifier plus strictement.",
        "en": "{attribute} “{value}” is in the persona but wins only {win_rate} of its deals ({ci_low}–"
              "{ci_high}, {deals} closed), {lift} times the average ({overall}): remove it from the persona, or "
              "qualify these leads harder.",
    },
    "qualification.finding.review_none": {
        "fr": "Aucune valeur de secteur, de taille ou de région ne contredit le persona de façon nette "
              "(intervalle de confiance à 95 %).",
        "en": "No sector, size or region value clearly contradicts the persona (95% confidence interval).",
    },
    "qualification.finding.calibration": {
        "fr": "Appris sur {train} affaires conclues avant le {cut} et testé sur les {test} suivantes, le score "
              "sépare les affaires : {top_actual} de gain dans la tranche {top_band}, {bottom_actual} dans la "
              "tranche {bottom_band} ; il fait {skill} mieux que le taux de gain moyen (score de Brier).",
        "en": "Learned on {train} deals closed before {cut} and tested on the {test} after, the score separates "
              "deals: {top_actual} won in the {top_band} band, {bottom_actual} in the {bottom_band} band; it does "
              "{skill} better than the average win rate (Brier score).",
    },
    "qualification.finding.calibration_weak": {
        "fr": "Appris sur {train} affaires conclues avant le {cut} et testé sur les {test} suivantes, le score ne "
              "fait pas mieux que le taux de gain moyen (score de Brier, {skill}) : {top_actual} de gain dans la "
              "tranche {top_band}, {bottom_actual} dans la tranche {bottom_band}. Ces attributs disent peu de "
              "choses du gain : à ne pas utiliser pour trier les leads.",
        "en": "Learned on {train} deals closed before {cut} and tested on the {test} after, the score does no "
              "better than the average win rate (Brier score, {skill}): {top_actual} won in the {top_band} band, "
              "{bottom_actual} in the {bottom_band} band. These attributes say little about winning: do not use "
              "the score to sort leads.",
    },
    "qualification.fit.title": {"fr": "Dans et hors persona", "en": "Inside and outside the persona"},
    "qualification.fit.note": {
        "fr": "Une affaire est hors persona quand un critère fixé (secteur, taille, région) n'est pas rempli, "
              "dans le persona quand tous le sont, non vérifiable sinon. Taux de gain sur les affaires conclues "
              "dans la fenêtre, intervalle de Wilson à 95 % ; cycle : médiane en jours de la création au gain.",
        "en": "A deal is outside the persona when a criterion it sets (sector, size, region) is not met, inside "
              "when all are met, not checkable otherwise. Win rate over the deals closed in the window, 95% "
              "Wilson interval; cycle: median days from creation to won.",
    },
    "qualification.effort.title": {"fr": "L'effort commercial hors persona", "en": "Sales effort outside the persona"},
    "qualification.effort.note": {
        "fr": "Activités datées dans la fenêtre, rattachées à leur affaire, sinon à leur lead ; heures : "
              "durées enregistrées (– quand l'export n'en a pas).",
        "en": "Activities dated in the window, attached to their deal, else to their lead; hours: logged "
              "durations (– when the export has none).",
    },
    "qualification.leads.title": {"fr": "Les leads", "en": "Leads"},
    "qualification.lift.title": {"fr": "Ce qui va avec le gain", "en": "What goes with winning"},
    "qualification.lift.note": {
        "fr": "Taux de gain des affaires conclues par valeur, avec son intervalle de Wilson à 95 % ; gain relatif "
              "= taux de la valeur / taux moyen ({overall}). Les valeurs de moins de {min} affaires sont "
              "regroupées dans « autres ».",
        "en": "Win rate of the closed deals per value, with its 95% Wilson interval; lift = the value's rate / "
              "the average rate ({overall}). Values with fewer than {min} deals are pooled into “other”.",
    },
    "qualification.review.title": {"fr": "Ce que le persona oublie ou inclut à tort",
                                   "en": "What the persona misses or wrongly includes"},
    "qualification.score.title": {"fr": "Score de gain (Bayes naïf)", "en": "Win score (naive Bayes)"},
    "qualification.score.note": {
        "fr": "Comme le score prédictif d'Odoo : fréquences des valeurs parmi les affaires gagnées et perdues, "
              "lissage de Laplace (α = {alpha}), valeurs vues sur moins de {min} affaires regroupées, "
              "probabilités bornées entre {low} et {high}. Facteur : ce que la valeur multiplie dans la cote de gain.",
        "en": "Like Odoo's predictive lead scoring: frequencies of the values among won and lost deals, Laplace "
              "smoothing (α = {alpha}), values seen on fewer than {min} deals pooled, probabilities kept between "
              "{low} and {high}. Factor: what the value multiplies the odds of winning by.",
    },
    "qualification.open.title": {"fr": "Affaires ouvertes : les mieux et les moins bien notées",
                                 "en": "Open deals: the highest and lowest scores"},
    "qualification.calibration.title": {"fr": "Le score tient-il ses promesses ?", "en": "Does the score hold?"},
    "qualification.calibration.note": {
        "fr": "Score appris sur les affaires conclues avant le {cut}, appliqué à celles conclues ensuite : "
              "probabilité moyenne prédite et taux de gain réel par tranche de score.",
        "en": "Score learned on the deals closed before {cut}, applied to those closed after: mean predicted "
              "probability and actual win rate per score band.",
    },
    "qualification.other": {"fr": "autres", "en": "other"},
    "qualification.criterion.sector": {"fr": "secteur", "en": "sector"},
    "qualification.criterion.size": {"fr": "taille", "en": "size"},
    "qualification.criterion.region": {"fr": "région", "en": "region"},
    "qualification.reason.in": {"fr": "{criterion} {value} : dans le persona", "en": "{criterion} {value}: in the persona"},
    "qualification.reason.out": {"fr": "{criterion} {value} : hors persona", "en": "{criterion} {value}: outside the persona"},
    "qualification.reason.unknown": {"fr": "{criterion} inconnu(e)", "en": "{criterion} unknown"},
    "qualification.reason.employees": {"fr": "{count} salariés", "en": "{count} employees"},
    "qualification.attribute.sector": {"fr": "Secteur", "en": "Sector"},
    "qualification.attribute.size_band": {"fr": "Taille", "en": "Size"},
    "qualification.attribute.region": {"fr": "Région", "en": "Region"},
    "qualification.attribute.source": {"fr": "Source", "en": "Source"},
    "qualification.attribute.product": {"fr": "Produit", "en": "Product"},
    "qualification.group.fit": {"fr": "Dans le persona", "en": "Fit"},
    "qualification.group.outside": {"fr": "Hors persona", "en": "Outside"},
    "qualification.group.unknown": {"fr": "Non vérifiable", "en": "Cannot be checked"},
    "qualification.scope.deals": {"fr": "affaires", "en": "deals"},
    "qualification.scope.leads": {"fr": "leads", "en": "leads"},
    "qualification.column.attribute": {"fr": "Attribut", "en": "Attribute"},
    "qualification.column.value": {"fr": "Valeur", "en": "Value"},
    "qualification.column.deals": {"fr": "Affaires", "en": "Deals"},
    "qualification.column.closed": {"fr": "Conclues", "en": "Closed"},
    "qualification.column.created": {"fr": "Créées", "en": "Created"},
    "qualification.column.won": {"fr": "Gagnées", "en": "Won"},
    "qualification.column.lost": {"fr": "Perdues", "en": "Lost"},
    "qualification.column.win_rate": {"fr": "Taux de gain", "en": "Win rate"},
    "qualification.column.interval": {"fr": "IC 95 %", "en": "95% CI"},
    "qualification.column.lift": {"fr": "Gain relatif", "en": "Lift"},
    "qualification.column.group": {"fr": "Groupe", "en": "Group"},
    "qualification.column.cycle_days": {"fr": "Cycle (jours)", "en": "Cycle (days)"},
    "qualification.column.scope": {"fr": "Sur", "en": "On"},
    "qualification.column.items": {"fr": "Créés", "en": "Created"},
    "qualification.column.share": {"fr": "Part", "en": "Share of the team"},
    "qualification.column.activities": {"fr": "Activités", "en": "Activities"},
    "qualification.column.activity_share": {"fr": "Part des activités", "en": "Share of activities"},
    "qualification.column.per_item": {"fr": "Activités par élément", "en": "Activities each"},
    "qualification.column.hours": {"fr": "Heures", "en": "Hours"},
    "qualification.column.band": {"fr": "Tranche de score", "en": "Score band"},
    "qualification.column.predicted": {"fr": "Prédit", "en": "Predicted"},
    "qualification.column.actual": {"fr": "Réel", "en": "Actual"},
    "qualification.column.deal": {"fr": "Affaire", "en": "Deal"},
    "qualification.column.probability": {"fr": "Score", "en": "Score"},
    "qualification.column.contributions": {"fr": "Facteur de chaque attribut", "en": "Factor of each attribute"},
    "qualification.column.odds": {"fr": "Facteur", "en": "Factor"},
    "qualification.chart.lift": {"fr": "Taux de gain par valeur (IC 95 %)", "en": "Win rate by value (95% CI)"},
    "qualification.chart.overall": {"fr": "moyenne {rate}", "en": "average {rate}"},
    "qualification.chart.in_persona": {"fr": "dans le persona", "en": "in the persona"},
    "qualification.chart.not_in_persona": {"fr": "hors persona", "en": "not in the persona"},
    "qualification.chart.calibration": {"fr": "Prédit et réel par tranche de score",
                                        "en": "Predicted and actual by score band"},
    "qualification.chart.predicted": {"fr": "probabilité prédite", "en": "predicted probability"},
    "qualification.chart.actual": {"fr": "taux de gain réel", "en": "actual win rate"},
    "qualification.chart.perfect": {"fr": "calibration parfaite", "en": "perfect calibration"},
    "qualification.chart.fit": {"fr": "Taux de gain dans et hors persona", "en": "Win rate inside and outside the persona"},
    "qualification.chart.empty": {"fr": "Rien à représenter.", "en": "Nothing to draw."},
    "persona.form.title": {"fr": "Persona (profil de client idéal)", "en": "Persona (ideal customer profile)"},
    "persona.form.sectors": {"fr": "Secteurs", "en": "Sectors"},
    "persona.form.size_bands": {"fr": "Tailles", "en": "Sizes"},
    "persona.form.employees_min": {"fr": "Effectif min.", "en": "Min. employees"},
    "persona.form.employees_max": {"fr": "Effectif max.", "en": "Max. employees"},
    "persona.form.regions": {"fr": "Régions", "en": "Regions"},
    "persona.form.needs": {"fr": "Besoins", "en": "Needs"},
    "persona.form.pain_points": {"fr": "Difficultés", "en": "Pain points"},
    "persona.form.disqualifiers": {"fr": "Exclusions", "en": "Disqualifiers"},
    "persona.form.notes": {"fr": "Notes", "en": "Notes"},
    "persona.form.one_per_line": {"fr": "une par ligne", "en": "one per line"},
    "persona.form.save": {"fr": "Enregistrer", "en": "Save"},
    "persona.form.saved": {"fr": "Persona enregistré dans {path}.", "en": "Persona saved to {path}."},
    "persona.form.error": {"fr": "Non enregistré : {message}", "en": "Not saved: {message}"},
    "persona.form.unsaved": {"fr": "Aucun persona enregistré pour l'instant.", "en": "No persona saved yet."},
    # SWOT (strategy_kit.swot, notebook 03).
    "swot.title": {"fr": "Analyse SWOT", "en": "SWOT analysis"},
    "swot.intro": {
        "fr": "Forces, faiblesses, opportunités et menaces de {client} pour la période {period} ({dates}), "
              "chacune avec le chiffre qui la fonde.",
        "en": "Strengths, weaknesses, opportunities and threats of {client} for the period {period} ({dates}), "
              "each with the number behind it.",
    },
    "swot.quadrant.strengths": {"fr": "Forces", "en": "Strengths"},
    "swot.quadrant.weaknesses": {"fr": "Faiblesses", "en": "Weaknesses"},
    "swot.quadrant.opportunities": {"fr": "Opportunités", "en": "Opportunities"},
    "swot.quadrant.threats": {"fr": "Menaces", "en": "Threats"},
    "swot.matrix.title": {"fr": "Matrice SWOT", "en": "SWOT matrix"},
    "swot.matrix.empty": {"fr": "Aucun élément", "en": "No item"},
    "swot.matrix.draft": {"fr": "Brouillon", "en": "Draft"},
    "swot.matrix.internal": {"fr": "Interne", "en": "Internal"},
    "swot.matrix.external": {"fr": "Externe", "en": "External"},
    "swot.saved_note": {
        "fr": "SWOT validée par le stratège (enregistrée pour la période {period}), avec les chiffres qui "
              "fondent chaque élément tiré des données.",
        "en": "SWOT validated by the strategist (saved for the period {period}), with the numbers behind "
              "each item drawn from the data.",
    },
    "swot.draft_note": {
        "fr": "Brouillon : aucune SWOT n'a encore été enregistrée. Les éléments ci-dessous sont des candidats "
              "tirés des données, à accepter, modifier ou compléter par le stratège dans le formulaire du "
              "carnet 03.",
        "en": "Draft: no SWOT has been saved yet. The items below are candidates drawn from the data, for the "
              "strategist to accept, edit or complete in the form of notebook 03.",
    },
    "swot.rules.title": {"fr": "Comment les candidats sont tirés des données", "en": "How the candidates are drawn from the data"},
    "swot.rules.note": {
        "fr": "Un indicateur est retenu quand il s'écarte d'au moins {move} de sa référence ou de l'an dernier ; "
              "une étape quand elle perd au moins {drop_off} des affaires qui y entrent ; l'écart aux meilleurs "
              "commerciaux à partir de {gap} points ; un motif de perte qui gagne {rise} points ; un cycle "
              "allongé d'au moins {cycle} ; une concentration quand les {top} premiers comptes font au moins "
              "{share} du chiffre d'affaires des 12 derniers mois.",
        "en": "A KPI is drawn when it moves at least {move} away from its baseline or last year; a stage when "
              "it loses at least {drop_off} of the deals entering it; the gap to the best performers from {gap} "
              "points; a lost reason gaining {rise} points; a cycle at least {cycle} longer; concentration when "
              "the {top} largest accounts bring at least {share} of the last 12 months' revenue.",
    },
    "swot.rules.unavailable": {"fr": "Règles non applicables faute de données : {rules}.",
                               "en": "Rules not applicable for lack of data: {rules}."},
    "swot.rules.none": {"fr": "Aucun candidat n'atteint les seuils sur cette période.",
                        "en": "No candidate reaches the thresholds in this period."},
    "swot.rule.kpi_above_baseline": {"fr": "Indicateurs au-dessus de leur référence", "en": "KPIs better than their baseline"},
    "swot.rule.kpi_below_baseline": {"fr": "Indicateurs sous leur référence", "en": "KPIs worse than their baseline"},
    "swot.rule.kpi_above_previous_year": {"fr": "Indicateurs en progrès sur un an", "en": "KPIs better than a year earlier"},
    "swot.rule.kpi_below_previous_year": {"fr": "Indicateurs en recul sur un an", "en": "KPIs worse than a year earlier"},
    "swot.rule.closing_strong_generation_weak": {"fr": "Bonne conclusion, prospection faible",
                                                 "en": "Strong closing, weak lead generation"},
    "swot.rule.worst_drop_off_stage": {"fr": "Étape qui perd le plus", "en": "Stage with the worst drop-off"},
    "swot.rule.best_performers_gap": {"fr": "Écart aux meilleurs commerciaux", "en": "Gap to the best performers"},
    "swot.rule.rising_lost_reason": {"fr": "Motifs de perte en hausse", "en": "Rising lost reasons"},
    "swot.rule.lengthening_cycle": {"fr": "Cycle de vente qui s'allonge", "en": "Lengthening sales cycle"},
    "swot.rule.revenue_concentration": {"fr": "Concentration du chiffre d'affaires", "en": "Revenue concentration"},
    "swot.kpi_above_baseline.text": {"fr": "{kpi} : meilleur que la référence ({change})",
                                     "en": "{kpi}: better than the baseline ({change})"},
    "swot.kpi_above_baseline.evidence": {"fr": "{value} en {period} contre {reference} en référence (12 mois précédents)",
                                         "en": "{value} in {period} against a baseline of {reference} (12 months before)"},
    "swot.kpi_below_baseline.text": {"fr": "{kpi} : moins bon que la référence ({change})",
                                     "en": "{kpi}: worse than the baseline ({change})"},
    "swot.kpi_below_baseline.evidence": {"fr": "{value} en {period} contre {reference} en référence (12 mois précédents)",
                                         "en": "{value} in {period} against a baseline of {reference} (12 months before)"},
    "swot.kpi_above_previous_year.text": {"fr": "{kpi} : en progrès sur un an ({change})",
                                          "en": "{kpi}: better than a year earlier ({change})"},
    "swot.kpi_above_previous_year.evidence": {"fr": "{value} en {period} contre {reference} un an plus tôt",
                                              "en": "{value} in {period} against {reference} a year earlier"},
    "swot.kpi_below_previous_year.text": {"fr": "{kpi} : en recul sur un an ({change})",
                                          "en": "{kpi}: worse than a year earlier ({change})"},
    "swot.kpi_below_previous_year.evidence": {"fr": "{value} en {period} contre {reference} un an plus tôt",
                                              "en": "{value} in {period} against {reference} a year earlier"},
    "swot.closing_strong_generation_weak.text": {
        "fr": "L'équipe conclut bien mais la prospection ne suit pas",
        "en": "The team closes well but lead generation falls short",
    },
    "swot.closing_strong_generation_weak.evidence": {
        "fr": "Taux de conversion {win_rate} (référence {win_rate_baseline}) mais {new_deals} nouvelles affaires "
              "contre {new_deals_baseline} en référence ({change})",
        "en": "Win rate {win_rate} (baseline {win_rate_baseline}) but {new_deals} new deals against a baseline "
              "of {new_deals_baseline} ({change})",
    },
    "swot.worst_drop_off_stage.text": {"fr": "L'étape {stage} perd le plus d'affaires",
                                       "en": "The {stage} stage loses the most deals"},
    "swot.worst_drop_off_stage.evidence": {
        "fr": "{drop_off_rate} des {entered} affaires entrées sur les 12 derniers mois n'ont pas avancé "
              "({drop_off}, dont {lost} perdues à cette étape)",
        "en": "{drop_off_rate} of the {entered} deals that entered it over the last 12 months did not move on "
              "({drop_off}, {lost} of them lost there)",
    },
    "swot.best_performers_gap.text": {"fr": "L'équipe conclut nettement moins que ses meilleurs commerciaux",
                                      "en": "The team closes well below its best performers"},
    "swot.best_performers_gap.evidence": {
        "fr": "{best} : {best_rate} d'affaires gagnées sur les 12 derniers mois, contre {team_rate} pour l'équipe "
              "({gap} points d'écart ; {reps} commerciaux avec au moins {min} affaires conclues)",
        "en": "{best}: {best_rate} of closed deals won over the last 12 months, against {team_rate} for the team "
              "({gap} points apart; {reps} reps with at least {min} closed deals)",
    },
    "swot.rising_lost_reason.text": {"fr": "Davantage d'affaires perdues pour « {reason} »",
                                     "en": "More deals lost for “{reason}”"},
    "swot.rising_lost_reason.evidence": {
        "fr": "{share} des affaires perdues sur les 12 derniers mois ({lost} sur {total}) contre "
              "{previous_share} l'année précédente (+{points} points)",
        "en": "{share} of the deals lost over the last 12 months ({lost} of {total}) against {previous_share} "
              "the year before (+{points} points)",
    },
    "swot.lengthening_cycle.text": {"fr": "Le cycle de vente s'allonge", "en": "The sales cycle is getting longer"},
    "swot.lengthening_cycle.evidence": {
        "fr": "Médiane de {cycle} jours sur les 12 derniers mois ({won} affaires gagnées) contre {previous} jours "
              "l'année précédente ({previous_won} affaires), {change}",
        "en": "Median of {cycle} days over the last 12 months ({won} deals won) against {previous} days the year "
              "before ({previous_won} deals), {change}",
    },
    "swot.revenue_concentration.text": {"fr": "Le chiffre d'affaires dépend de quelques comptes",
                                        "en": "Revenue depends on a few accounts"},
    "swot.revenue_concentration.evidence": {
        "fr": "Les {top} premiers comptes font {share} du chiffre d'affaires des 12 derniers mois ({top_revenue} "
              "sur {revenue}, {accounts} comptes)",
        "en": "The {top} largest accounts bring {share} of the last 12 months' revenue ({top_revenue} of "
              "{revenue}, {accounts} accounts)",
    },
    "swot.rule.high_win_small_share": {"fr": "Segments qui gagnent souvent mais pèsent peu",
                                       "en": "Segments that win often but weigh little"},
    "swot.rule.under_penetrated_segment": {"fr": "Segments peu pénétrés", "en": "Under-penetrated segments"},
    "swot.rule.winning_attribute": {"fr": "Attributs qui augmentent le taux de conversion",
                                    "en": "Attributes that lift the win rate"},
    "swot.rule.shrinking_segment": {"fr": "Segments en recul", "en": "Shrinking segments"},
    "swot.high_win_small_share.text": {"fr": "Le segment {segment} gagne souvent mais pèse peu",
                                       "en": "The {segment} segment wins often but weighs little"},
    "swot.high_win_small_share.evidence": {
        "fr": "Taux de conversion {win_rate} contre {overall} pour l'ensemble, sur {deals} affaires conclues, "
              "soit {deal_share} des affaires conclues sur les 12 derniers mois",
        "en": "Win rate {win_rate} against {overall} overall, over {deals} closed deals, {deal_share} of the "
              "deals closed over the last 12 months",
    },
    "swot.under_penetrated_segment.text": {"fr": "Le segment {segment} reste peu pénétré",
                                           "en": "The {segment} segment is under-penetrated"},
    "swot.under_penetrated_segment.evidence": {
        "fr": "Pénétration {penetration} ({customers} clients pour un marché adressable de {addressable}), "
              "taux de conversion {win_rate} contre {overall} pour l'ensemble",
        "en": "Penetration {penetration} ({customers} customers for an addressable market of {addressable}), "
              "win rate {win_rate} against {overall} overall",
    },
    "swot.winning_attribute.text": {"fr": "{attribute} « {value} » : des affaires plus souvent gagnées",
                                    "en": "{attribute} “{value}”: deals won more often"},
    "swot.winning_attribute.evidence": {
        "fr": "Taux de conversion {win_rate} (intervalle {ci_low} – {ci_high}) contre {overall} pour toutes les "
              "affaires, soit {lift} fois plus, sur {deals} affaires conclues",
        "en": "Win rate {win_rate} (interval {ci_low} – {ci_high}) against {overall} for all deals, {lift} times "
              "as often, over {deals} closed deals",
    },
    "swot.shrinking_segment.text": {"fr": "Le segment {segment} recule", "en": "The {segment} segment is shrinking"},
    "swot.shrinking_segment.evidence": {
        "fr": "Chiffre d'affaires {revenue} sur les 12 derniers mois ({revenue_share} du total), {growth} sur un an",
        "en": "Revenue {revenue} over the last 12 months ({revenue_share} of the total), {growth} year over year",
    },
    "swot.what_if.title": {"fr": "Quelle amélioration rapporte le plus ?", "en": "Which improvement is worth most?"},
    "swot.what_if.intro.relative": {
        "fr": "Chiffre d'affaires des 12 prochains mois si l'on relève un seul levier de {increase} (en relatif), "
              "les autres restant à leur niveau de référence.",
        "en": "Revenue over the next 12 months when a single lever is raised by {increase} (relative), the others "
              "staying at their baseline level.",
    },
    "swot.what_if.intro.points": {
        "fr": "Chiffre d'affaires des 12 prochains mois si l'on relève un seul levier : +{points} points de "
              "conversion pour une étape, +{increase} de volume ou de montant moyen, les autres restant à leur "
              "niveau de référence.",
        "en": "Revenue over the next 12 months when a single lever is raised: +{points} points of conversion "
              "for a stage, +{increase} of volume or deal size, the others staying at their baseline level.",
    },
    "swot.what_if.finding": {
        "fr": "Le levier qui rapporte le plus : {lever}, soit {impact} de plus ({share}) sur une base de {base}.",
        "en": "The lever worth most: {lever}, {impact} more ({share}) on a base of {base}.",
    },
    "swot.what_if.finding_tie": {
        "fr": "Plusieurs leviers rapportent autant, {impact} de plus ({share}) sur une base de {base} : {levers}. "
              "Le modèle étant un produit, une hausse relative vaut autant sur chacun ; choisir le moins coûteux.",
        "en": "Several levers are worth the same, {impact} more ({share}) on a base of {base}: {levers}. The model "
              "being a product, a relative raise is worth the same on each; pick the cheapest.",
    },
    "swot.what_if.lead_volume": {"fr": "Nouvelles affaires (volume)", "en": "New deals (lead volume)"},
    "swot.what_if.stage": {"fr": "Conversion : {stage}", "en": "Conversion: {stage}"},
    "swot.what_if.deal_size": {"fr": "Montant moyen des affaires", "en": "Average deal size"},
    "swot.what_if.base_revenue": {"fr": "Chiffre d'affaires de base (12 mois)", "en": "Base revenue (12 months)"},
    "swot.what_if.source": {"fr": "référence du {start} au {end}", "en": "baseline {start} to {end}"},
    "swot.what_if.formula": {
        "fr": "nouvelles affaires × produit des conversions d'étape × montant moyen",
        "en": "new deals × product of the stage conversions × average deal size",
    },
    "swot.what_if.assumptions": {"fr": "Hypothèses", "en": "Assumptions"},
    "swot.what_if.note": {
        "fr": "Le chiffre d'affaires de base reprend l'entonnoir de référence : les affaires créées, chaque étape "
              "les convertissant à son taux, au montant moyen des affaires gagnées ; il suppose que toute affaire "
              "passe par chaque étape. Chiffre gagné réellement sur la même période : {actual}.",
        "en": "The base revenue follows the baseline funnel: the deals created, each stage converting them at its "
              "rate, at the average won deal size; it assumes every deal passes every stage. Value actually won "
              "over the same period: {actual}.",
    },
    "swot.what_if.left_out": {"fr": "Étapes sans conversion mesurée (comptées à 100 %) : {stages}.",
                              "en": "Stages without a measured conversion (taken as 100%): {stages}."},
    "swot.what_if.axis": {"fr": "Chiffre d'affaires supplémentaire sur 12 mois", "en": "Additional revenue over 12 months"},
    "swot.column.lever": {"fr": "Levier", "en": "Lever"},
    "swot.column.current": {"fr": "Actuel", "en": "Current"},
    "swot.column.improved": {"fr": "Amélioré", "en": "Improved"},
    "swot.column.revenue": {"fr": "CA sur 12 mois", "en": "12-month revenue"},
    "swot.column.impact": {"fr": "Gain", "en": "Gain"},
    "swot.column.impact_share": {"fr": "Gain (%)", "en": "Gain (%)"},
    "swot.column.rank": {"fr": "Rang", "en": "Rank"},
    "swot.column.factor": {"fr": "Facteur", "en": "Factor"},
    "swot.column.value": {"fr": "Valeur", "en": "Value"},
    "swot.column.source": {"fr": "Source", "en": "Source"},
    "swot.form.title": {"fr": "SWOT du stratège", "en": "Strategist's SWOT"},
    "swot.form.keep": {"fr": "Garder", "en": "Keep"},
    "swot.form.text": {"fr": "Élément", "en": "Item"},
    "swot.form.evidence": {"fr": "Chiffre", "en": "Evidence"},
    "swot.form.add": {"fr": "Ajouter", "en": "Add"},
    "swot.form.new_item": {"fr": "Nouvel élément…", "en": "New item…"},
    "swot.form.save": {"fr": "Enregistrer la SWOT", "en": "Save the SWOT"},
    "swot.form.saved": {"fr": "Enregistrée dans {path}", "en": "Saved in {path}"},
    "swot.form.drafted": {"fr": "proposé par les données", "en": "drawn from the data"},
    # Segmentation (strategy_kit.segmentation, notebook 04).
    "segmentation.title": {"fr": "Segmentation du marché", "en": "Market segmentation"},
    "segmentation.intro": {
        "fr": "Segments de {client} par {keys}, sur les douze mois du {start} au {end} (une période "
              "plus courte compte trop peu d'affaires par segment pour les comparer).",
        "en": "{client}'s segments by {keys}, over the twelve months from {start} to {end} (a shorter "
              "period holds too few deals per segment to compare them).",
    },
    "segmentation.key.sector": {"fr": "secteur", "en": "sector"},
    "segmentation.key.size_band": {"fr": "taille d'entreprise", "en": "company size"},
    "segmentation.key.region": {"fr": "région", "en": "region"},
    "segmentation.key.country": {"fr": "pays", "en": "country"},
    "segmentation.key.separator": {"fr": " × ", "en": " × "},
    "segmentation.none_group": {"fr": "(non renseigné)", "en": "(not set)"},
    "segmentation.column.segment": {"fr": "Segment", "en": "Segment"},
    "segmentation.column.deals": {"fr": "Affaires", "en": "Deals"},
    "segmentation.column.win_rate": {"fr": "Transfo.", "en": "Win rate"},
    "segmentation.column.interval": {"fr": "IC 95\u00a0%", "en": "95% CI"},
    "segmentation.column.avg_deal_size": {"fr": "Montant moyen", "en": "Avg deal"},
    "segmentation.column.cycle_days": {"fr": "Cycle (j)", "en": "Cycle (d)"},
    "segmentation.column.revenue": {"fr": "CA", "en": "Revenue"},
    "segmentation.column.revenue_share": {"fr": "Part du CA", "en": "Rev. share"},
    "segmentation.column.growth": {"fr": "Crois. 1 an", "en": "YoY growth"},
    "segmentation.column.ltv": {"fr": "Valeur vie", "en": "LTV"},
    "segmentation.column.customers": {"fr": "Clients", "en": "Customers"},
    "segmentation.column.addressable": {"fr": "Adressable", "en": "Addressable"},
    "segmentation.column.penetration": {"fr": "Pénétration", "en": "Penetration"},
    "segmentation.column.saturated": {"fr": "Saturé", "en": "Saturated"},
    "segmentation.column.prospects": {"fr": "Prospects", "en": "Prospects"},
    "segmentation.column.similarity": {"fr": "Ressemblance", "en": "Resemblance"},
    "segmentation.column.rank": {"fr": "Rang", "en": "Rank"},
    "segmentation.column.score": {"fr": "Valeur prudente", "en": "Cautious value"},
    "segmentation.column.deal_share": {"fr": "Part affaires", "en": "Deal share"},
    "segmentation.performance.title": {"fr": "Performance par segment", "en": "Performance by segment"},
    "segmentation.performance.note": {
        "fr": "Affaires gagnées ou perdues dans les douze mois ; taux de transformation avec son intervalle "
              "de Wilson à 95 % ; montant moyen et cycle des affaires gagnées ; chiffre d'affaires des "
              "douze mois et sa part. Segments marqués * : moins de {min} affaires clôturées, montrés mais "
              "jamais classés.",
        "en": "Deals won or lost in the twelve months; win rate with its 95% Wilson interval; average "
              "size and cycle of the deals won; the twelve months' revenue and its share. Segments marked *: "
              "fewer than {min} closed deals, shown but never ranked.",
    },
    "segmentation.more": {
        "fr": "{count} segment(s) plus petit(s) ne sont pas montrés.",
        "en": "{count} smaller segment(s) not shown.",
    },
    "segmentation.market.title": {"fr": "Valeur, saturation et ressemblance", "en": "Value, saturation and resemblance"},
    "segmentation.market.note.accounts": {
        "fr": "Croissance : chiffre d'affaires des douze mois contre les douze mois précédents. Valeur vie "
              "client : chiffre d'affaires cumulé moyen par client. Pénétration = clients (comptes avec une "
              "affaire gagnée ou une facture) / comptes adressables saisis par le stratège ; saturé à partir "
              "de {threshold}.",
        "en": "Growth: the twelve months' revenue against the twelve months before. Customer lifetime "
              "value: mean cumulative revenue per customer. Penetration = customers (accounts with a won "
              "deal or an invoice) / addressable accounts entered by the strategist; saturated from "
              "{threshold}.",
    },
    "segmentation.market.note.revenue": {
        "fr": "Croissance : chiffre d'affaires des douze mois contre les douze mois précédents. Valeur vie "
              "client : chiffre d'affaires cumulé moyen par client. Pénétration = chiffre d'affaires des "
              "douze mois / marché adressable annuel saisi par le stratège ; saturé à partir de {threshold}.",
        "en": "Growth: the twelve months' revenue against the twelve months before. Customer lifetime "
              "value: mean cumulative revenue per customer. Penetration = the twelve months' revenue / the "
              "annual addressable market entered by the strategist; saturated from {threshold}.",
    },
    "segmentation.market.no_input": {
        "fr": "Aucun marché adressable saisi (inputs/market.yml) : la pénétration et la saturation ne sont "
              "pas calculées.",
        "en": "No addressable market entered (inputs/market.yml): penetration and saturation are not "
              "computed.",
    },
    "segmentation.similarity.note": {
        "fr": "Ressemblance : les meilleurs clients sont les {best} premiers (10 %) des {customers} clients par "
              "chiffre d'affaires cumulé. Pour chaque prospect (compte avec une affaire ouverte en fin de "
              "période ou un lead non converti des douze mois, pas encore client) et pour chaque attribut "
              "(secteur, taille, région), on prend la part des meilleurs clients qui partagent sa valeur ; "
              "la ressemblance du prospect est la moyenne de ces parts, celle du segment la moyenne sur ses "
              "prospects (100 % : tous les meilleurs clients lui ressemblent en tout).",
        "en": "Resemblance: the best customers are the top {best} (10%) of the {customers} customers by "
              "cumulative revenue. For each prospect (an account with a deal open at the period end or an "
              "unconverted lead of the twelve months, not yet a customer) and each attribute (sector, size, "
              "region), take the share of best customers with the same value; the prospect's resemblance is "
              "the mean of those shares, the segment's the mean over its prospects (100%: every best "
              "customer matches it in everything).",
    },
    "segmentation.attractiveness.title": {"fr": "Segments à cibler", "en": "Segments to target"},
    "segmentation.attractiveness.note": {
        "fr": "Classement par valeur prudente d'une affaire clôturée : borne basse de l'intervalle du taux "
              "de transformation × montant moyen gagné, pour qu'un taux reposant sur peu d'affaires ne "
              "l'emporte pas par hasard. Sont exclus les segments de moins de {min} affaires, les segments "
              "saturés et les affaires sans segment.",
        "en": "Ranked by the cautious value of a closed deal: the lower bound of the win-rate interval × "
              "the average deal size, so that a rate resting on few deals does not win by chance. Segments "
              "with fewer than {min} deals, saturated segments and deals without a segment are left out.",
    },
    "segmentation.attractiveness.none": {
        "fr": "Aucun segment ne remplit les conditions pour être classé (assez d'affaires, non saturé).",
        "en": "No segment qualifies for the ranking (enough deals, not saturated).",
    },
    "segmentation.reason.both": {
        "fr": "{rank}. {segment} : taux de transformation de {win_rate} (intervalle {ci_low}–{ci_high}, "
              "{deals} affaires) et montant moyen de {deal_size}, tous deux au-dessus de l'ensemble "
              "({overall_win_rate}, {overall_deal_size}).",
        "en": "{rank}. {segment}: a win rate of {win_rate} (interval {ci_low}–{ci_high}, {deals} deals) and "
              "an average deal of {deal_size}, both above the whole ({overall_win_rate}, {overall_deal_size}).",
    },
    "segmentation.reason.win_rate": {
        "fr": "{rank}. {segment} : taux de transformation de {win_rate} (intervalle {ci_low}–{ci_high}, "
              "{deals} affaires) contre {overall_win_rate} pour l'ensemble, pour un montant moyen de "
              "{deal_size} ({overall_deal_size} pour l'ensemble).",
        "en": "{rank}. {segment}: a win rate of {win_rate} (interval {ci_low}–{ci_high}, {deals} deals) "
              "against {overall_win_rate} overall, for an average deal of {deal_size} ({overall_deal_size} "
              "overall).",
    },
    "segmentation.reason.deal_size": {
        "fr": "{rank}. {segment} : montant moyen de {deal_size} contre {overall_deal_size} pour l'ensemble, "
              "avec un taux de transformation de {win_rate} (intervalle {ci_low}–{ci_high}, {deals} "
              "affaires ; {overall_win_rate} pour l'ensemble).",
        "en": "{rank}. {segment}: an average deal of {deal_size} against {overall_deal_size} overall, with "
              "a win rate of {win_rate} (interval {ci_low}–{ci_high}, {deals} deals; {overall_win_rate} "
              "overall).",
    },
    "segmentation.reason.balanced": {
        "fr": "{rank}. {segment} : taux de transformation de {win_rate} (intervalle {ci_low}–{ci_high}, "
              "{deals} affaires) et montant moyen de {deal_size}, proches de l'ensemble ({overall_win_rate}, "
              "{overall_deal_size}) mais plus sûrs que les autres segments.",
        "en": "{rank}. {segment}: a win rate of {win_rate} (interval {ci_low}–{ci_high}, {deals} deals) and "
              "an average deal of {deal_size}, close to the whole ({overall_win_rate}, {overall_deal_size}) "
              "but surer than the other segments.",
    },
    "segmentation.reason.growth": {
        "fr": "Chiffre d'affaires {growth} sur un an.",
        "en": "Revenue {growth} on a year.",
    },
    "segmentation.reason.penetration": {
        "fr": "Pénétration de {penetration} seulement : le marché n'est pas saturé.",
        "en": "Penetration of only {penetration}: the market is not saturated.",
    },
    "segmentation.reason.similarity": {
        "fr": "Ses prospects ressemblent aux meilleurs clients à {similarity}.",
        "en": "Its prospects resemble the best customers at {similarity}.",
    },
    "segmentation.chart.title": {
        "fr": "Taux de transformation × montant moyen (taille : chiffre d'affaires)",
        "en": "Win rate × average deal size (size: revenue)",
    },
    "segmentation.chart.win_rate": {"fr": "Taux de transformation", "en": "Win rate"},
    "segmentation.chart.deal_size": {"fr": "Montant moyen gagné", "en": "Average deal size"},
    "segmentation.chart.chosen": {"fr": "Segments à cibler", "en": "Segments to target"},
    "segmentation.chart.other": {"fr": "Autres segments", "en": "Other segments"},
    "segmentation.chart.small": {"fr": "Moins de {min} affaires", "en": "Fewer than {min} deals"},
    "segmentation.chart.saturated": {"fr": "Saturés", "en": "Saturated"},
    "segmentation.rfm.title": {"fr": "Valeur client (RFM)", "en": "Customer value (RFM)"},
    "segmentation.rfm.note": {
        "fr": "Clients ayant au moins une facture jusqu'au {end} : récence (jours depuis la dernière "
              "facture), fréquence (factures) et montant cumulé, chacun noté de 1 à 5 par quintile "
              "(1 + partie entière de 5 × (rang − 1) / n, ex æquo au rang le plus bas). Segments : "
              "champions R ≥ 4 et FM ≥ 4 ; fidèles R ≥ 3 et FM ≥ 3 ; prometteurs R ≥ 4 et FM < 3 ; "
              "à surveiller R = 3 et FM < 3 ; à risque R ≤ 2 et FM ≥ 3 ; perdus R ≤ 2 et FM < 3, "
              "où FM = (F + M) / 2.",
        "en": "Customers with at least one invoice up to {end}: recency (days since the last invoice), "
              "frequency (invoices) and cumulative amount, each scored 1 to 5 by quintile (1 + floor of "
              "5 × (rank − 1) / n, ties at the lowest rank). Segments: champions R ≥ 4 and FM ≥ 4; loyal "
              "R ≥ 3 and FM ≥ 3; promising R ≥ 4 and FM < 3; needs attention R = 3 and FM < 3; at risk "
              "R ≤ 2 and FM ≥ 3; lost R ≤ 2 and FM < 3, where FM = (F + M) / 2.",
    },
    "segmentation.rfm.champions": {"fr": "Champions", "en": "Champions"},
    "segmentation.rfm.loyal": {"fr": "Fidèles", "en": "Loyal"},
    "segmentation.rfm.promising": {"fr": "Prometteurs", "en": "Promising"},
    "segmentation.rfm.needs_attention": {"fr": "À surveiller", "en": "Needs attention"},
    "segmentation.rfm.at_risk": {"fr": "À risque", "en": "At risk"},
    "segmentation.rfm.lost": {"fr": "Perdus", "en": "Lost"},
    "segmentation.rfm.column.segment": {"fr": "Segment RFM", "en": "RFM segment"},
    "segmentation.rfm.column.customers": {"fr": "Clients", "en": "Customers"},
    "segmentation.rfm.column.share": {"fr": "Part des clients", "en": "Share of customers"},
    "segmentation.rfm.column.revenue": {"fr": "CA cumulé", "en": "Cumulative revenue"},
    "segmentation.rfm.column.revenue_share": {"fr": "Part du CA", "en": "Revenue share"},
    "segmentation.rfm.column.recency_days": {"fr": "Récence (jours, médiane)", "en": "Recency (days, median)"},
    "segmentation.rfm.chart.title": {"fr": "Clients et chiffre d'affaires par segment RFM",
                                     "en": "Customers and revenue by RFM segment"},
    "segmentation.rfm.chart.share": {"fr": "Part", "en": "Share of the team"},
    "segmentation.rfm.at_risk_sentence": {
        "fr": "{count} client(s) à risque ou perdus représentent {share} du chiffre d'affaires cumulé.",
        "en": "{count} customer(s) at risk or lost account for {share} of cumulative revenue.",
    },
    "segmentation.churn.title": {"fr": "Causes de désaffection", "en": "Churn causes"},
    "segmentation.churn.column.reason": {"fr": "Cause", "en": "Reason"},
    "segmentation.churn.column.accounts": {"fr": "Clients partis", "en": "Customers lost"},
    "segmentation.churn.column.share": {"fr": "Part", "en": "Share of the team"},
    "segmentation.churn.chart.title": {"fr": "Part de chaque cause de départ", "en": "Share of each churn reason"},
    "segmentation.churn.chart.trust": {"fr": "Confiance / service client", "en": "Trust / customer service"},
    "segmentation.churn.chart.other": {"fr": "Autres causes", "en": "Other reasons"},
    "segmentation.churn.trust": {
        "fr": "Confiance et service client expliquent {share} des départs dont la cause est connue "
              "({count} sur {total}) ; la méthode cite environ 30 % : la vente consultative et le suivi "
              "client en sont le levier.",
        "en": "Trust and customer service explain {share} of the churn with a known reason ({count} of "
              "{total}); the method cites about 30%: consultative selling and customer follow-up are the "
              "lever.",
    },
    "segmentation.churn.note": {
        "fr": "Comptes partis jusqu'au {end} : {churned}, dont {without} sans cause renseignée.",
        "en": "Accounts lost up to {end}: {churned}, {without} of them without a recorded reason.",
    },
    "segmentation.form.title": {"fr": "Marché adressable par segment", "en": "Addressable market by segment"},
    "segmentation.form.unit": {"fr": "Unité", "en": "Unit"},
    "segmentation.form.unit.accounts": {"fr": "Comptes", "en": "Accounts"},
    "segmentation.form.unit.revenue": {"fr": "Chiffre d'affaires annuel", "en": "Annual revenue"},
    "segmentation.form.threshold": {"fr": "Seuil de saturation", "en": "Saturation threshold"},
    "segmentation.form.min_deals": {"fr": "Affaires minimum", "en": "Minimum deals"},
    "segmentation.form.save": {"fr": "Enregistrer", "en": "Save"},
    "segmentation.form.saved": {"fr": "Enregistré dans {path}", "en": "Saved to {path}"},
    "segmentation.form.help": {
        "fr": "Saisissez pour chaque segment le nombre de comptes (ou le chiffre d'affaires annuel) du "
              "marché que l'équipe peut adresser ; 0 ou vide : inconnu.",
        "en": "Enter for each segment the number of accounts (or the annual revenue) of the market the "
              "team can address; 0 or empty: unknown.",
    },
    # Objectives (strategy_kit.objectives, notebook 06).
    "objectives.title": {"fr": "Objectifs commerciaux", "en": "Sales objectives"},
    "objectives.intro": {
        "fr": "Objectif de l'exercice {year} : {target} de chiffre d'affaires, soit {growth} par rapport à "
              "l'exercice {baseline_year} ({baseline}).",
        "en": "Objective for fiscal {year}: {target} of revenue, {growth} on fiscal {baseline_year} ({baseline}).",
    },
    "objectives.new_business": {
        "fr": "Dont nouveaux clients : {share} de l'objectif, soit {amount}.",
        "en": "Of which new business: {share} of the objective, {amount}.",
    },
    "objectives.no_plan": {
        "fr": "le plan n'a pas pu être établi à partir des objectifs enregistrés (la raison est donnée en "
              "tête de ce chapitre).",
        "en": "the plan could not be built from the saved objectives (the reason is given at the top of "
              "this chapter).",
    },
    "objectives.no_targets": {
        "fr": "les objectifs par commercial n'ont pas pu être fixés (la raison est donnée dans la partie "
              "précédente).",
        "en": "the per-rep targets could not be set (the reason is given in the previous part).",
    },
    "objectives.none": {
        "fr": "Aucun objectif enregistré : saisissez-les dans le formulaire du notebook 06 ou dans "
              "inputs/objectives.yml (docs/inputs.md).",
        "en": "No objectives saved yet: enter them in notebook 06's form or in inputs/objectives.yml "
              "(docs/inputs.md).",
    },
    "objectives.phasing.title": {"fr": "Objectif mensuel et trimestriel", "en": "Monthly and quarterly objective"},
    "objectives.phasing.note": {
        "fr": "Chaque mois reçoit la part qu'il représentait dans le chiffre d'affaires de l'exercice de "
              "référence (saisonnalité). Montants arrondis à l'unité ; les unités restantes vont aux mois "
              "dont la partie décimale est la plus grande, pour que les mois totalisent exactement l'objectif.",
        "en": "Each month gets the share it had of the baseline year's revenue (seasonality). Amounts are "
              "rounded to the unit; the units left go to the months with the largest fractional parts, so "
              "that the months add up to the objective exactly.",
    },
    "objectives.funnel.title": {"fr": "Du chiffre d'affaires aux activités : l'entonnoir inversé",
                                "en": "From revenue to activities: the reverse funnel"},
    "objectives.funnel.results": {"fr": "Objectifs de résultats par étape (affaires entrant dans l'étape, "
                                        "affaires gagnées, nouveaux leads)",
                                  "en": "Results objectives per stage (deals entering the stage, deals won, "
                                        "new leads)"},
    "objectives.funnel.calls": {"fr": "Objectifs de moyens : appels par étape",
                                "en": "Means objectives: calls per stage"},
    "objectives.funnel.emails": {"fr": "Objectifs de moyens : e-mails par étape",
                                 "en": "Means objectives: emails per stage"},
    "objectives.funnel.note": {
        "fr": "Calcul à rebours, mois par mois : affaires à gagner = CA visé × part du CA venant des affaires "
              "gagnées ÷ montant moyen ; affaires entrant dans une étape = affaires entrant dans l'étape "
              "suivante ÷ conversion de l'étape ; nouveaux leads = nouvelles affaires ÷ taux de conversion "
              "lead → affaire. Moyens : appels et e-mails par affaire ayant avancé depuis l'étape. Valeurs "
              "arrondies à l'unité supérieure.",
        "en": "Worked back month by month: deals to win = revenue target × share of revenue from deals won "
              "÷ average deal size; deals entering a stage = deals entering the next stage ÷ the stage's "
              "conversion; new leads = new deals ÷ lead-to-deal rate. Means: calls and emails per deal that "
              "advanced from the stage. Rounded up to whole units.",
    },
    "objectives.assumptions.title": {"fr": "Hypothèses (exercice {period})", "en": "Assumptions (fiscal {period})"},
    "objectives.assumption.avg_deal_size": {"fr": "Montant moyen d'une affaire gagnée", "en": "Average deal size"},
    "objectives.assumption.won_value_ratio": {"fr": "Part du CA venant des affaires gagnées",
                                              "en": "Share of revenue from deals won"},
    "objectives.assumption.conversion": {"fr": "Conversion de l'étape {stage}", "en": "Conversion of stage {stage}"},
    "objectives.assumption.lead_to_deal": {"fr": "Conversion lead → affaire", "en": "Lead-to-deal rate"},
    "objectives.assumption.activities": {"fr": "Activités par affaire avançant depuis {step}",
                                         "en": "Activities per deal advancing from {step}"},
    "objectives.assumption.per_deal": {"fr": "{calls} appels, {emails} e-mails", "en": "{calls} calls, {emails} emails"},
    "objectives.variant.title": {
        "fr": "Variante : conversion de l'étape {stage} améliorée de {points} points au lieu d'un volume accru",
        "en": "Variant: conversion of stage {stage} improved by {points} points instead of more volume",
    },
    "objectives.variant.note": {
        "fr": "Volumes nécessaires sur l'exercice avec les taux historiques et avec la conversion améliorée.",
        "en": "Volumes needed over the year with the historical rates and with the improved conversion.",
    },
    "objectives.intermediate.title": {"fr": "Objectifs intermédiaires", "en": "Intermediate objectives"},
    "objectives.intermediate.none": {"fr": "Aucun objectif intermédiaire enregistré.",
                                     "en": "No intermediate objective saved."},
    "objectives.intermediate.note": {
        "fr": "Niveau de départ : l'indicateur sur les {months} mois précédant le début (moyenne mensuelle "
              "pour les volumes). Trajectoire : la ligne droite du niveau de départ à la cible à l'échéance. "
              "Dans les temps si le retard sur la trajectoire ne dépasse pas {on_track} du chemin, à risque "
              "jusqu'à {at_risk}, en retard au-delà.",
        "en": "Starting level: the KPI over the {months} months before the start (monthly mean for "
              "volumes). Path: the straight line from the starting level to the target at the deadline. On "
              "track when behind the path by at most {on_track} of the way, at risk up to {at_risk}, off "
              "track beyond.",
    },
    "objectives.attainment.title": {"fr": "Réalisation de l'équipe", "en": "Team attainment"},
    "objectives.projection": {
        "fr": "Projection de fin d'exercice : {projection} ({attainment} de l'objectif de {target}), moyenne "
              "de {by_run} (réalisé à date + rythme des {run_months} derniers mois, {run_rate} par mois, × "
              "{months_left} mois restants) et de {by_pipeline} (réalisé à date + pipeline pondéré ouvert, "
              "{pipeline}).",
        "en": "Year-end projection: {projection} ({attainment} of the {target} objective), the mean of "
              "{by_run} (revenue to date + the run rate of the last {run_months} months, {run_rate} a month, "
              "× {months_left} months left) and {by_pipeline} (revenue to date + open weighted pipeline, "
              "{pipeline}).",
    },
    "objectives.scope.month": {"fr": "Mois {label}", "en": "Month {label}"},
    "objectives.scope.quarter": {"fr": "Trimestre {label}", "en": "Quarter {label}"},
    "objectives.scope.ytd": {"fr": "Exercice à date", "en": "Year to date"},
    "objectives.reps.title": {"fr": "Objectifs par commercial et réalisme", "en": "Per-rep targets and realism"},
    "objectives.scorecards.title": {"fr": "Fiches individuelles", "en": "Rep scorecards"},
    "objectives.step.lead": {"fr": "Nouveaux leads", "en": "New leads"},
    "objectives.means.calls": {"fr": "Appels", "en": "Calls"},
    "objectives.means.emails": {"fr": "E-mails", "en": "Emails"},
    "objectives.status.on_track": {"fr": "dans les temps", "en": "on track"},
    "objectives.status.at_risk": {"fr": "à risque", "en": "at risk"},
    "objectives.status.off_track": {"fr": "en retard", "en": "off track"},
    "objectives.status.no_data": {"fr": "pas de données", "en": "no data"},
    "objectives.kind.absolute": {"fr": "Valeur à atteindre", "en": "Level to reach"},
    "objectives.kind.relative": {"fr": "Variation relative", "en": "Relative change"},
    "objectives.chart.target": {"fr": "Objectif", "en": "Target"},
    "objectives.chart.baseline": {"fr": "Exercice de référence", "en": "Baseline year"},
    "objectives.chart.actual": {"fr": "Réalisé", "en": "Actual"},
    "objectives.chart.path": {"fr": "Trajectoire", "en": "Path"},
    "objectives.column.quarter": {"fr": "Trimestre", "en": "Quarter"},
    "objectives.column.target": {"fr": "Objectif", "en": "Target"},
    "objectives.column.share": {"fr": "Part", "en": "Share of the team"},
    "objectives.column.baseline": {"fr": "Référence", "en": "Baseline"},
    "objectives.column.step": {"fr": "Étape", "en": "Step"},
    "objectives.column.q1": {"fr": "T1", "en": "Q1"},
    "objectives.column.q2": {"fr": "T2", "en": "Q2"},
    "objectives.column.q3": {"fr": "T3", "en": "Q3"},
    "objectives.column.q4": {"fr": "T4", "en": "Q4"},
    "objectives.column.year": {"fr": "Exercice", "en": "Year"},
    "objectives.column.assumption": {"fr": "Hypothèse", "en": "Assumption"},
    "objectives.column.value": {"fr": "Valeur", "en": "Value"},
    "objectives.column.base": {"fr": "Taux historiques", "en": "Historical rates"},
    "objectives.column.variant": {"fr": "Conversion améliorée", "en": "Improved conversion"},
    "objectives.column.change": {"fr": "Variation", "en": "Change"},
    "objectives.column.kpi": {"fr": "Indicateur", "en": "KPI"},
    "objectives.column.owner": {"fr": "Responsable", "en": "Owner"},
    "objectives.column.dates": {"fr": "Période", "en": "Period"},
    "objectives.column.start_level": {"fr": "Départ", "en": "Start"},
    "objectives.column.target_level": {"fr": "Cible", "en": "Target"},
    "objectives.column.actual": {"fr": "Réalisé", "en": "Actual"},
    "objectives.column.path": {"fr": "Trajectoire", "en": "Path"},
    "objectives.column.status": {"fr": "Statut", "en": "Status"},
    "objectives.column.scope": {"fr": "Période", "en": "Period"},
    "objectives.column.attainment": {"fr": "Réalisation", "en": "Attainment"},
    "objectives.form.title": {"fr": "Objectifs", "en": "Objectives"},
    "objectives.form.help": {
        "fr": "Objectif de chiffre d'affaires de l'exercice : une croissance en % sur l'exercice précédent ou "
              "un montant ; part des nouveaux clients facultative (0 : non fixée).",
        "en": "Revenue objective for the fiscal year: a growth in % on the previous year or an amount; the "
              "new-business share is optional (0: not set).",
    },
    "objectives.form.year": {"fr": "Exercice", "en": "Fiscal year"},
    "objectives.form.mode": {"fr": "Objectif exprimé en", "en": "Objective given as"},
    "objectives.form.mode.growth": {"fr": "Croissance (%)", "en": "Growth (%)"},
    "objectives.form.mode.revenue": {"fr": "Montant", "en": "Amount"},
    "objectives.form.growth": {"fr": "Croissance", "en": "Growth"},
    "objectives.form.revenue": {"fr": "Chiffre d'affaires visé", "en": "Revenue objective"},
    "objectives.form.new_business": {"fr": "Part des nouveaux clients", "en": "New-business share"},
    "objectives.form.intermediate": {"fr": "Objectifs intermédiaires", "en": "Intermediate objectives"},
    "objectives.form.intermediate_help": {
        "fr": "Indicateur, cible, type, début, échéance, responsable. Taux et variations en fraction : "
              "1 = 100 %, 0,3 = +30 %.",
        "en": "KPI, target, kind, start, deadline, owner. Rates and changes as fractions: 1 = 100 %, 0.3 = +30 %.",
    },
    "objectives.form.team": {"fr": "Équipe", "en": "Team"},
    "objectives.form.remove": {"fr": "Supprimer", "en": "Remove"},
    "objectives.form.add": {"fr": "Ajouter un objectif", "en": "Add an objective"},
    "objectives.form.save": {"fr": "Enregistrer", "en": "Save"},
    "objectives.form.saved": {"fr": "Enregistré dans {path}", "en": "Saved to {path}"},
    "objectives.assumption.lead_activities": {"fr": "Activités par lead devenu affaire",
                                              "en": "Activities per lead that became a deal"},
    # Rep targets and scorecards (strategy_kit.rep_targets, notebook 06).
    "rep_targets.rule": {
        "fr": "Chaque commercial part de sa propre référence : son chiffre d'affaires gagné par mois d'historique "
              "sur les 12 mois précédant le plan. Un commercial ayant moins de {min_months} mois d'historique suit "
              "la règle de montée en charge : {ramp} de la référence médiane des commerciaux confirmés pendant ses "
              "{count} premiers mois d'ancienneté, puis 100\u00a0%. Les objectifs sont ensuite mis à l'échelle pour que "
              "leur somme égale exactement l'objectif mensuel de l'équipe (arrondi à l'unité, le reste réparti "
              "selon les plus grandes décimales). Un objectif au-delà du {percentile}e centile des mois du "
              "commercial est signalé comme irréaliste.",
        "en": "Each rep starts from their own baseline: their won value per month of history over the 12 months "
              "before the plan. A rep with fewer than {min_months} months of history follows the ramp rule: "
              "{ramp} of the established reps' median baseline over their first {count} months of tenure, then "
              "100%. The targets are then scaled so that they add up exactly to the team's monthly target "
              "(rounded to the unit, the remainder going to the largest fractions). A target above the "
              "{percentile}th percentile of the rep's own months is flagged as unrealistic.",
    },
    "rep_targets.reason.no_history": {
        "fr": "Pas d'historique : objectif issu de la règle de montée en charge, sans contrôle de réalisme",
        "en": "No history: target from the ramp rule, no realism check",
    },
    "rep_targets.reason.above_p90": {
        "fr": "{target} dépasse le 90e centile de ses {months} mois d'historique ({p90})",
        "en": "{target} is above the 90th percentile of the rep's {months} months of history ({p90})",
    },
    "rep_targets.reason.above_best": {
        "fr": "{target} dépasse son meilleur mois ({best}) sur {months} mois d'historique (90e centile : {p90})",
        "en": "{target} is above the rep's best month ({best}) in {months} months of history (90th percentile: {p90})",
    },
    "rep_targets.realistic_total": {
        "fr": "Objectif de l'équipe : {objective} ; un plan réaliste (chaque objectif plafonné au 90e centile "
              "du commercial) atteindrait {realistic} ({share} de l'objectif).",
        "en": "Team objective: {objective}; a realistic plan (each target capped at the rep's 90th percentile) "
              "would reach {realistic} ({share} of the objective).",
    },
    "rep_targets.yes": {"fr": "oui", "en": "yes"},
    "rep_targets.no": {"fr": "non", "en": "no"},
    "rep_targets.column.owner": {"fr": "Commercial", "en": "Rep"},
    "rep_targets.column.months_of_history": {"fr": "Historique (mois)", "en": "Months of history"},
    "rep_targets.column.baseline_monthly": {"fr": "Réf. mensuelle", "en": "Monthly baseline"},
    "rep_targets.column.revenue_target": {"fr": "Objectif du plan", "en": "Plan target"},
    "rep_targets.column.share": {"fr": "Part", "en": "Share of the team"},
    "rep_targets.column.ramp": {"fr": "Montée en charge", "en": "Ramp rule"},
    "rep_targets.column.percentile": {"fr": "Centile max.", "en": "Percentile demanded (max)"},
    "rep_targets.column.unrealistic": {"fr": "Mois irréal.", "en": "Unrealistic months"},
    "rep_targets.column.objective": {"fr": "Objectif de l'équipe", "en": "Team objective"},
    "rep_targets.column.realistic": {"fr": "Plan réaliste", "en": "Realistic plan"},
    "scorecard.title": {"fr": "Tableau de bord de {owner}", "en": "Scorecard: {owner}"},
    "scorecard.cutoff": {"fr": "réalisé jusqu'à fin {date}", "en": "actuals to the end of {date}"},
    "scorecard.target_total": {"fr": "Objectif du plan", "en": "Plan target"},
    "scorecard.target_to_date": {"fr": "Objectif à date", "en": "Target to date"},
    "scorecard.actual_to_date": {"fr": "Réalisé à date", "en": "Actual to date"},
    "scorecard.attainment": {"fr": "Taux d'atteinte", "en": "Attainment"},
    "scorecard.trend": {"fr": "Tendance", "en": "Trend"},
    "scorecard.trend.up": {
        "fr": "en hausse : {change} sur les {months} derniers mois par rapport aux {months} précédents",
        "en": "up: {change} over the last {months} months against the {months} before",
    },
    "scorecard.trend.down": {
        "fr": "en baisse : {change} sur les {months} derniers mois par rapport aux {months} précédents",
        "en": "down: {change} over the last {months} months against the {months} before",
    },
    "scorecard.trend.stable": {
        "fr": "stable sur les {months} derniers mois par rapport aux {months} précédents {change}",
        "en": "stable over the last {months} months against the {months} before {change}",
    },
    "scorecard.trend.unknown": {
        "fr": "inconnue (il faut {months} mois terminés)",
        "en": "unknown ({months} complete months needed)",
    },
    "scorecard.realism": {"fr": "Réalisme", "en": "Realism"},
    "scorecard.realistic": {
        "fr": "réaliste : aucun objectif au-delà du {percentile}e centile de ses mois",
        "en": "realistic: no target above the {percentile}th percentile of the rep's months",
    },
    "scorecard.unrealistic": {
        "fr": "irréaliste : {count} mois sur {total} au-delà du {percentile}e centile de ses mois",
        "en": "unrealistic: {count} of {total} months above the {percentile}th percentile of the rep's months",
    },
    "scorecard.unrealistic_detail": {
        "fr": "Objectifs au-delà de son 90e centile ({p90} ; meilleur mois : {best} ; mois d'historique : "
              "{history}) : {months}.",
        "en": "Targets above the rep's 90th percentile ({p90}; best month: {best}; months of history: "
              "{history}): {months}.",
    },
    "scorecard.monthly": {"fr": "Objectifs mensuels et moyens", "en": "Monthly targets and means"},
    "scorecard.column.month": {"fr": "Mois", "en": "Month"},
    "scorecard.column.target": {"fr": "Objectif", "en": "Target"},
    "scorecard.column.actual": {"fr": "Réalisé", "en": "Actual"},
    "scorecard.column.attainment": {"fr": "Atteinte", "en": "Attainment"},
    "scorecard.column.percentile": {"fr": "Centile exigé", "en": "Percentile demanded"},
    "scorecard.column.deals": {"fr": "Affaires à gagner", "en": "Deals to win"},
    "scorecard.column.calls": {"fr": "Appels", "en": "Calls"},
    "scorecard.column.emails": {"fr": "E-mails", "en": "Emails"},
    "scorecard.means.own": {
        "fr": "Objectifs de moyens : avec sa propre affaire moyenne gagnée ({deal}), {calls_per_deal} appels et "
              "{emails_per_deal} e-mails par affaire gagnée, il faut en moyenne {deals} affaires gagnées, "
              "{calls} appels et {emails} e-mails par mois.",
        "en": "Means objectives: at the rep's own average won deal ({deal}), {calls_per_deal} calls and "
              "{emails_per_deal} emails per won deal, the targets need on average {deals} deals won, "
              "{calls} calls and {emails} emails a month.",
    },
    "scorecard.means.team": {
        "fr": "Objectifs de moyens (historique trop court ou sans affaire gagnée : ratios de l'équipe) : affaire "
              "moyenne {deal}, {calls_per_deal} appels et {emails_per_deal} e-mails par affaire gagnée, soit en "
              "moyenne {deals} affaires gagnées, {calls} appels et {emails} e-mails par mois.",
        "en": "Means objectives (history too short or without a won deal: the team's ratios): average deal {deal}, "
              "{calls_per_deal} calls and {emails_per_deal} emails per won deal, so on average {deals} deals won, "
              "{calls} calls and {emails} emails a month.",
    },
    "scorecard.means.unknown": {
        "fr": "Objectifs de moyens non disponibles : aucune affaire gagnée dans l'historique de l'équipe.",
        "en": "Means objectives not available: no won deal in the team's history.",
    },
    # Months, abbreviated as each language does.
    **{
        f"month.{number}": {"fr": fr, "en": en}
        for number, (fr, en) in enumerate(
            (
                ("janv.", "Jan"), ("févr.", "Feb"), ("mars", "Mar"), ("avr.", "Apr"),
                ("mai", "May"), ("juin", "Jun"), ("juil.", "Jul"), ("août", "Aug"),
                ("sept.", "Sep"), ("oct.", "Oct"), ("nov.", "Nov"), ("déc.", "Dec"),
            ),
            start=1,
        )
    },
}

# Symbols of the usual currencies; any other ISO code is written as the code itself.
CURRENCY_SYMBOLS: dict[str, str] = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    return language


def label(key: str, language: str, **fields: Any) -> str:
    """The text of ``key`` in ``language``, with ``{placeholders}`` filled from ``fields``."""
    check_language(language)
    try:
        text = LABELS[key][language]
    except KeyError:
        raise KeyError(f"no label '{key}' in strategy_kit.labels.LABELS; add it with its fr and en texts") from None
    return text.format(**fields) if fields else text


class LabelledUnavailable(UnavailableError):
    """An analysis cannot be made, with its reason as a label (``key`` and ``fields``), so that a
    French report says why in French. ``str()`` is the English text (logs, the CLI).

    ``labelled``: fields whose value is itself a label key (e.g. ``{"table": "table.accounts"}``),
    written in the reason's language."""

    def __init__(self, key: str, labelled: dict[str, str] | None = None, **fields: Any):
        self.key, self.labelled, self.fields = key, dict(labelled or {}), fields
        super().__init__(self.reason("en"))

    def reason(self, language: str) -> str:
        """The reason in ``language``; dates written as that language writes them."""
        words = {name: label(key, language) for name, key in self.labelled.items()}
        values = {name: format_date(value, language) if isinstance(value, date) else value
                  for name, value in self.fields.items()}
        return label(self.key, language, **values, **words)


def unavailable_reason(error: UnavailableError, language: str) -> str:
    """Why ``error``'s analysis is not available, in ``language`` when the reason is a label (a
    section's :class:`LabelledUnavailable`, or a KPI's ``Unavailable``, which has a ``text``)."""
    if isinstance(error, LabelledUnavailable):
        return error.reason(language)
    text = getattr(error, "text", None)
    return text(language) if callable(text) else str(error)


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a label text expects."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isinf(value))
    except (TypeError, ValueError):  # pandas.NA compared raises in a boolean context
        return True


def format_number(value: float | int | None, language: str, decimals: int = 0) -> str:
    """``1234.5`` -> ``1 234,5`` (fr, non-breaking space) or ``1,234.5`` (en)."""
    check_language(language)
    if _is_missing(value):
        return MISSING
    # Half away from zero, as people round by hand (2.5 -> 3), not Python's half-to-even.
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{abs(rounded):,.{decimals}f}"
    if language == "fr":
        text = text.replace(",", NBSP).replace(".", ",")
    return ("-" if rounded < 0 else "") + text


def format_integer(value: float | int | None, language: str) -> str:
    return format_number(value, language, 0)


def format_percent(fraction: float | None, language: str, decimals: int = 1) -> str:
    """A fraction in [0, 1] as a percentage: ``0.125`` -> ``12,5 %`` (fr) or ``12.5%`` (en)."""
    if _is_missing(fraction):
        return MISSING
    number = format_number(float(fraction) * 100, language, decimals)
    return f"{number}{NBSP}%" if language == "fr" else f"{number}%"


def format_currency(value: float | None, language: str, currency: str = "EUR", decimals: int = 0) -> str:
    """``1234.5`` -> ``1 234,5 €`` (fr) or ``€1,234.5`` (en); unknown codes: ``1 234 CHF`` / ``CHF 1,234``."""
    if _is_missing(value):
        return MISSING
    number = format_number(value, language, decimals)
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    if language == "fr":
        return f"{number}{NBSP}{symbol}"
    sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
    gap = "" if currency in CURRENCY_SYMBOLS else NBSP
    return f"{sign}{symbol}{gap}{digits}"


def format_compact_currency(value: float | None, language: str, currency: str = "EUR") -> str:
    """Short amounts for chart axes: ``1 200 000`` -> ``1,2 M€`` (fr) or ``€1.2M`` (en); ``12 000`` -> ``12 k€`` / ``€12k``."""
    if _is_missing(value):
        return MISSING
    for factor, suffix in ((1e9, "G" if language == "fr" else "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            scaled = value / factor
            decimals = 0 if abs(scaled) >= 10 or float(scaled).is_integer() else 1
            number = format_number(scaled, language, decimals)
            break
    else:
        number, suffix = format_number(value, language, 0), ""
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    if language == "fr":
        return f"{number}{NBSP}{suffix}{symbol}"
    sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
    gap = "" if currency in CURRENCY_SYMBOLS else NBSP
    return f"{sign}{symbol}{gap}{digits}{suffix}"


def _as_date(value: date | datetime | Any) -> date:
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return value.date() if isinstance(value, datetime) else value


def format_date(value: date | datetime | None, language: str) -> str:
    """``2026-09-30`` -> ``30/09/2026`` (fr) or ``30 Sep 2026`` (en)."""
    check_language(language)
    if _is_missing(value):
        return MISSING
    day = _as_date(value)
    if language == "fr":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day} {label(f'month.{day.month}', 'en')} {day.year}"


def format_month(value: date | datetime | None, language: str, year: bool = True) -> str:
    """The month of ``value``: ``sept. 2026`` (fr) or ``Sep 2026`` (en); ``year=False``: ``sept.``."""
    if _is_missing(value):
        return MISSING
    day = _as_date(value)
    name = label(f"month.{day.month}", language)
    return f"{name} {day.year}" if year else name


def format_text(value: Any, language: str) -> str:
    if _is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return label("report.yes" if value else "report.no", language)
    return str(value)


# How a value of each kind is written; tables declare the kind of each column.
FORMATTERS: dict[str, Callable[..., str]] = {
    "integer": lambda v, lang, cur: format_integer(v, lang),
    "number": lambda v, lang, cur: format_number(v, lang, 1),
    "currency": lambda v, lang, cur: format_currency(v, lang, cur),
    "percent": lambda v, lang, cur: format_percent(v, lang),
    "date": lambda v, lang, cur: format_date(v, lang),
    "month": lambda v, lang, cur: format_month(v, lang),
    "text": lambda v, lang, cur: format_text(v, lang),
}


def format_value(value: Any, kind: str, language: str, currency: str = "EUR") -> str:
    """Write ``value`` as a value of ``kind`` (a key of :data:`FORMATTERS`)."""
    try:
        formatter = FORMATTERS[kind]
    except KeyError:
        raise KeyError(f"unknown value kind '{kind}'; known: {', '.join(FORMATTERS)}") from None
    return formatter(value, language, currency)


@dataclass(frozen=True)
class Finding:
    """One sentence of a report's narrative: a label key and its fields, already formatted for
    ``language``. Notebooks show it with ``nb.show_text(ctx, finding.key, **finding.fields)``."""

    key: str
    fields: dict[str, str]
    language: str

    @property
    def text(self) -> str:
        return label(self.key, self.language, **self.fields)
