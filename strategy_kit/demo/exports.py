"""Write the demo history as the files a French company would really hand over.

- ``pipedrive-affaires-<end>.csv``: Pipedrive deals export, French headers, UTF-8, quoted.
- ``pipedrive-historique-etapes.csv``: one row per stage a deal entered.
- ``pipedrive-activites-<year>.csv``: Pipedrive activities export, one file per year (due date,
  done date, empty for the planned next steps after the last day, and call durations in seconds).
- ``pipedrive-organisations-<end>.csv``: organisations, UTF-8 with BOM, churn custom fields.
- ``suivi-prospects.csv``: the shared leads spreadsheet (``;``, dd/mm/yyyy hh:mm, other source labels).
- ``journal-des-ventes.csv``: the accountant's sales journal (Windows-1252, ``;``, decimal comma,
  space thousands separator, a title line, a total row).
- ``veille-evenements-comptes.csv``: the team's watch spreadsheet of account events (``;``,
  dd/mm/yyyy, UTF-8 with BOM, French event labels).
- ``equipe-commerciale.csv`` and ``catalogue-produits.csv``: small hand-kept lists (Windows-1252).

:func:`client_yaml` writes the ``import:`` mapping that reads them all (docs/mapping.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import yaml

from strategy_kit.config import DEFAULT_STAGES
from strategy_kit.demo import company as co
from strategy_kit.demo.generate import (
    BALANCE,
    DEPOSIT,
    LOST,
    OPEN,
    SETUP,
    SUBSCRIPTION_MONTH,
    SUBSCRIPTION_YEAR,
    WON,
    History,
    company_names,
)
from strategy_kit.demo.inputs import write_inputs

CHUNK_ROWS = 1_000_000
TEXT_CHUNK_ROWS = 200_000
_EPOCH = date(1970, 1, 1)
VAT_RATE = 0.20
STATUS_LABELS = ("Ouvert", "Gagné", "Perdu")
SOURCE_LABELS = tuple(s.name for s in co.SOURCES) + (co.REPEAT_SOURCE,)
LEAD_SOURCE_LABELS = tuple(s.lead_label for s in co.SOURCES)
OUTCOME_LABELS = tuple(label for t in co.ACTIVITY_TYPES for label, _ in co.OUTCOMES[t])
SUBJECT_LABELS = tuple(s for row in co.SUBJECTS for s in row)
BILLING_LABELS = {
    "monthly": "Abonnement mensuel",
    "annual": "Abonnement annuel",
    "instalments": "Acompte à la commande, solde à la livraison",
}


# ---------------------------------------------------------------- Arrow column builders


def _labels(codes: np.ndarray, labels: Sequence[str]) -> pa.Array:
    """Text of each code (a negative code is an empty cell)."""
    return pa.array(list(labels), pa.string()).take(pa.array(codes, mask=codes < 0))


def _timestamps(seconds: np.ndarray) -> pa.Array:
    return pa.array(seconds, pa.timestamp("s"), mask=seconds < 0)


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype(np.int32), pa.date32(), mask=days < 0)


def _ids(values: np.ndarray) -> pa.Array:
    return pa.array(values, pa.int64(), mask=values < 0)


def _references(prefix: str, values: np.ndarray, width: int = 6) -> pa.Array:
    text = pc.utf8_lpad(pc.cast(_ids(values), pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(prefix, text, "")


def _french_amounts(cents: np.ndarray) -> pa.Array:
    """1234567 cents -> '12 345,67' (space thousands separator, decimal comma)."""
    euros, rest = np.divmod(cents.astype(np.int64), 100)
    millions, below = np.divmod(euros, 1_000_000)
    thousands, units = np.divmod(below, 1000)

    def text(values: np.ndarray, pad: bool = False) -> pa.Array:
        array = pc.cast(pa.array(values), pa.string())
        return pc.utf8_lpad(array, width=3, padding="0") if pad else array

    three = pc.binary_join_element_wise(text(millions), text(thousands, True), text(units, True), " ")
    two = pc.binary_join_element_wise(text(thousands), text(units, True), " ")
    whole = pc.if_else(pa.array(millions > 0), three, pc.if_else(pa.array(thousands > 0), two, text(units)))
    return pc.binary_join_element_wise(whole, pc.utf8_lpad(text(rest), width=2, padding="0"), ",")


def _french_amount(cents: int) -> str:
    euros, rest = divmod(int(cents), 100)
    return f"{euros:,}".replace(",", " ") + f",{rest:02d}"


def _day_labels(days: np.ndarray, pattern: str = "%d/%m/%Y") -> pa.Array:
    """Calendar days (negative: empty) as text, through a table of the few distinct days."""
    present = days[days >= 0]
    if len(present) == 0:
        return pa.nulls(len(days), pa.string())
    first, last = int(present.min()), int(present.max())
    table = pa.array([(_EPOCH + timedelta(days=day)).strftime(pattern) for day in range(first, last + 1)])
    return table.take(pa.array(days - first, mask=days < 0))


def _french_datetimes(seconds: np.ndarray) -> pa.Array:
    """Calendar seconds (negative: empty) as dd/mm/yyyy hh:mm."""
    days, within = np.divmod(seconds, 86400)
    minutes = pa.array([f"{m // 60:02d}:{m % 60:02d}" for m in range(24 * 60)])
    clock = minutes.take(pa.array(within // 60, mask=seconds < 0))
    return pc.binary_join_element_wise(_day_labels(np.where(seconds < 0, -1, days)), clock, " ")


# ---------------------------------------------------------------- writing


def _chunks(n: int, size: int) -> Iterator[slice]:
    for start in range(0, max(n, 1), size):
        yield slice(start, min(start + size, n))


def write_table(
    path: Path,
    n: int,
    build: Any,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
    quoted: bool = True,
    crlf: bool = False,
    title: Sequence[str] = (),
    footer: Sequence[str] = (),
) -> None:
    """Write rows built chunk by chunk by ``build(slice) -> pa.Table``.

    UTF-8 files stream through Arrow's CSV writer. Other encodings and Windows line ends go
    through text, in smaller chunks. ``quoted``: every text value in double quotes, as CRM
    exports do; otherwise nothing is quoted, as spreadsheets save it.
    """
    newline = "\r\n" if crlf else "\n"
    streamed = encoding == "utf-8" and not crlf
    quoting = "needed" if quoted else "none"
    with open(path, "wb") as handle:
        head = "".join(line + newline for line in title)
        handle.write(("\ufeff" if bom else "").encode("utf-8") + head.encode(encoding))
        writer = None
        for index, rows in enumerate(_chunks(n, CHUNK_ROWS if streamed else TEXT_CHUNK_ROWS)):
            table = build(rows)
            if index == 0 and not quoted:
                handle.write((delimiter.join(table.column_names) + newline).encode(encoding))
            options = pacsv.WriteOptions(
                delimiter=delimiter, include_header=quoted and index == 0, quoting_style=quoting
            )
            if streamed:
                if writer is None:
                    writer = pacsv.CSVWriter(handle, table.schema, write_options=options)
                writer.write_table(table)
                continue
            buffer = pa.BufferOutputStream()
            pacsv.write_csv(table, buffer, write_options=options)
            text = buffer.getvalue().to_pybytes().decode("utf-8")
            handle.write((text.replace("\n", newline) if crlf else text).encode(encoding))
        if writer is not None:
            writer.close()
        handle.write("".join(line + newline for line in footer).encode(encoding))


# ---------------------------------------------------------------- the exports


def _account_names(history: History, accounts: np.ndarray) -> pa.Array:
    return company_names(history.accounts["name_code"][accounts])


def _product_labels(product: np.ndarray, old: np.ndarray | None = None) -> pa.Array:
    """Product names; ``old`` marks rows exported with the product's former spelling."""
    labels = [p.name for p in co.PRODUCTS] + list(co.OLD_PRODUCT_SPELLING.values())
    codes = product.copy()
    if old is not None:
        for number, (code, _) in enumerate(co.OLD_PRODUCT_SPELLING.items()):
            codes[old & (product == code)] = len(co.PRODUCTS) + number
    return _labels(codes, labels)


def _reps() -> list[str]:
    return [r.name for r in co.REPS]


def write_deals(folder: Path, history: History) -> str:
    d = history.deals
    name = f"pipedrive-affaires-{history.timeline.end.isoformat()}.csv"
    owners = _reps()

    def build(rows: slice) -> pa.Table:
        organisation = _account_names(history, d["account"][rows])
        status = d["status"][rows]
        closed = d["closed"][rows]
        product = _product_labels(d["product"][rows], d["old_spelling"][rows])
        return pa.table(
            {
                "Affaire - ID": pa.array(d["id"][rows]),
                "Affaire - Titre": pc.binary_join_element_wise(
                    organisation, _product_labels(d["product"][rows]), " - "
                ),
                "Affaire - Créateur": _labels(d["owner"][rows], owners),
                "Affaire - Propriétaire": _labels(d["owner"][rows], owners),
                "Affaire - Valeur": pa.array(d["value"][rows]),
                "Affaire - Devise de la valeur": pa.array(np.full(rows.stop - rows.start, "EUR")),
                "Affaire - Organisation": organisation,
                "Affaire - ID de l'organisation": pa.array(d["account"][rows] + 1),
                "Affaire - Pipeline": pa.array(np.full(rows.stop - rows.start, co.PIPELINE)),
                "Affaire - Étape": _labels(d["stage"][rows], co.STAGE_LABELS),
                "Affaire - Statut": _labels(status, STATUS_LABELS),
                "Affaire - Affaire créée": _timestamps(d["created"][rows]),
                "Affaire - Heure de gain": _timestamps(np.where(status == WON, closed, -1)),
                "Affaire - Heure de perte": _timestamps(np.where(status == LOST, closed, -1)),
                "Affaire - Affaire conclue le": _timestamps(closed),
                "Affaire - Raison de la perte": _labels(d["lost_reason"][rows], co.LOST_REASONS),
                "Affaire - Date de clôture prévue": _dates(np.where(status == OPEN, d["expected_close"][rows], -1)),
                "Affaire - Produit": product,
                "Affaire - Source": _labels(d["source"][rows], SOURCE_LABELS),
                "Affaire - ID du prospect": _references("PR-", d["lead"][rows]),
            }
        )

    write_table(folder / name, len(d["id"]), build)
    return name


def write_stage_history(folder: Path, history: History) -> str:
    sh = history.stage_history
    owner = history.deals["owner"]
    name = "pipedrive-historique-etapes.csv"

    def build(rows: slice) -> pa.Table:
        return pa.table(
            {
                "Affaire - ID": pa.array(sh["deal"][rows]),
                "Étape": _labels(sh["stage"][rows], co.STAGE_LABELS),
                "Date d'entrée dans l'étape": _timestamps(sh["at"][rows]),
                "Utilisateur": _labels(owner[sh["deal"][rows] - 1], _reps()),
            }
        )

    write_table(folder / name, len(sh["deal"]), build)
    return name


def write_activities(folder: Path, history: History) -> list[str]:
    a = history.activities
    years = a["at"].astype("datetime64[s]").astype("datetime64[Y]").astype(np.int64) + 1970
    written = []
    for year in np.unique(years):
        first, last = np.searchsorted(years, [year, year + 1])
        name = f"pipedrive-activites-{year}.csv"

        def build(rows: slice, offset: int = int(first)) -> pa.Table:
            rows = slice(rows.start + offset, rows.stop + offset)
            kind = a["kind"][rows]
            planned = a["planned"][rows]
            return pa.table(
                {
                    "Activité - ID": pa.array(a["id"][rows]),
                    "Activité - Type": _labels(kind, co.ACTIVITY_LABELS),
                    "Activité - Sujet": _labels(a["subject"][rows], SUBJECT_LABELS),
                    "Activité - Date d'échéance": _timestamps(a["at"][rows]),
                    "Activité - Marquée comme terminée le": _timestamps(np.where(planned, -1, a["at"][rows])),
                    "Activité - Attribuée à": _labels(a["owner"][rows], _reps()),
                    "Activité - Résultat": _labels(a["outcome"][rows], OUTCOME_LABELS),
                    "Activité - Durée (secondes)": _ids(a["duration"][rows]),
                    "Activité - Terminée": _labels(planned.astype(np.int64), ("Terminé", "À faire")),
                    "Activité - ID de l'affaire": _ids(a["deal"][rows]),
                    "Activité - ID du prospect": _references("PR-", a["lead"][rows]),
                    "Activité - Organisation": _account_names(history, a["account"][rows]),
                }
            )

        write_table(folder / name, int(last - first), build)
        written.append(name)
    return written


def write_events(folder: Path, history: History) -> str:
    """The team's watch spreadsheet of account events (``;``, dd/mm/yyyy, UTF-8 with BOM)."""
    ev = history.events
    name = "veille-evenements-comptes.csv"
    details = [detail for row in co.EVENT_DETAILS for detail in row]

    def build(rows: slice) -> pa.Table:
        kind = ev["kind"][rows]
        return pa.table(
            {
                "Date": _day_labels(ev["day"][rows]),
                "Entreprise": _account_names(history, ev["account"][rows]),
                "Type d'événement": _labels(kind, co.EVENT_LABELS),
                "Détail": _labels(kind * len(co.EVENT_DETAILS[0]) + ev["detail"][rows], details),
                "Source": _labels(ev["source"][rows], co.EVENT_SOURCES),
            }
        )

    write_table(folder / name, len(ev["day"]), build, delimiter=";", bom=True, quoted=False)
    return name


def write_organisations(folder: Path, history: History) -> str:
    acc = history.accounts
    name = f"pipedrive-organisations-{history.timeline.end.isoformat()}.csv"

    def build(rows: slice) -> pa.Table:
        n = rows.stop - rows.start
        return pa.table(
            {
                "Organisation - ID": pa.array(acc["id"][rows]),
                "Organisation - Nom": _account_names(history, np.arange(rows.start, rows.stop)),
                "Organisation - Propriétaire": _labels(acc["owner"][rows], _reps()),
                "Organisation - Secteur d'activité": _labels(acc["sector"][rows], co.SECTORS),
                "Organisation - Nombre d'employés": pa.array(acc["employees"][rows]),
                "Organisation - Tranche d'effectif": _labels(acc["size"][rows], co.SIZE_BANDS),
                "Organisation - Région": _labels(acc["region"][rows], co.REGIONS),
                "Organisation - Pays": pa.array(np.full(n, "France")),
                "Organisation - Organisation créée": _timestamps(acc["created"][rows]),
                "Organisation - Date de résiliation": _dates(acc["churned"][rows]),
                "Organisation - Motif de résiliation": _labels(acc["churn_reason"][rows], co.CHURN_REASONS),
            }
        )

    write_table(folder / name, len(acc["id"]), build, bom=True)
    return name


def write_leads(folder: Path, history: History) -> str:
    le = history.leads
    name = "suivi-prospects.csv"

    def build(rows: slice) -> pa.Table:
        converted = le["deal"][rows] >= 0
        status = np.where(converted, 0, np.where(le["recent"][rows], 1, 2))
        return pa.table(
            {
                "Réf. prospect": _references("PR-", le["id"][rows]),
                "Date d'arrivée": _french_datetimes(le["created"][rows]),
                "Source": _labels(le["source"][rows], LEAD_SOURCE_LABELS),
                "Entreprise": _account_names(history, le["account"][rows]),
                "Secteur": _labels(le["sector"][rows], co.SECTORS),
                "Effectif": pa.array(le["employees"][rows]),
                "Région": _labels(le["region"][rows], co.REGIONS),
                "Commercial": _labels(le["owner"][rows], _reps()),
                "Statut": _labels(status, co.LEAD_STATUSES),
                "Date de conversion": _french_datetimes(le["converted"][rows]),
                "N° affaire": _ids(le["deal"][rows]),
            }
        )

    write_table(folder / name, len(le["id"]), build, delimiter=";", bom=True, quoted=False)
    return name


def _designations(kind: np.ndarray, product: np.ndarray, month: np.ndarray) -> pa.Array:
    products = _labels(product, [p.name for p in co.PRODUCTS])
    kind_labels = {
        SETUP: "Frais de mise en service",
        SUBSCRIPTION_MONTH: "Abonnement mensuel",
        SUBSCRIPTION_YEAR: "Abonnement annuel",
        DEPOSIT: "Acompte à la commande",
        BALANCE: "Solde à la livraison",
    }
    head = _labels(kind, [kind_labels[k] for k in sorted(kind_labels)])
    text = pc.binary_join_element_wise(head, products, " ")

    def month_label(months: np.ndarray) -> pa.Array:
        return pc.binary_join_element_wise(
            _labels(months % 12, co.MONTHS_FR), pc.cast(pa.array(months // 12 + 1970), pa.string()), " "
        )

    monthly = pc.binary_join_element_wise(text, month_label(month), " - ")
    yearly = pc.binary_join_element_wise(text, " - ", month_label(month), " à ", month_label(month + 11), "")
    return pc.if_else(
        pa.array(kind == SUBSCRIPTION_MONTH), monthly, pc.if_else(pa.array(kind == SUBSCRIPTION_YEAR), yearly, text)
    )


def write_invoices(folder: Path, history: History) -> str:
    inv = history.invoices
    name = "journal-des-ventes.csv"
    net = inv["amount_cents"]
    vat = np.round(net * VAT_RATE).astype(np.int64)
    years = inv["day"].astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    # Invoice numbers restart every year: FA-2025-00001...
    year_start = np.searchsorted(years, years, side="left")
    numbers = np.arange(len(years)) - year_start + 1
    timeline = history.timeline
    start = timeline.start_day

    def fmt(day: int) -> str:
        return (_EPOCH + timedelta(days=day)).strftime("%d/%m/%Y")

    title = [f"Journal des ventes - {co.COMPANY_NAME} - du {fmt(start)} au {fmt(timeline.end_day)}", ""]
    footer = [
        ";".join(
            [
                "Total général",
                "",
                "",
                "",
                "",
                "",
                _french_amount(net.sum()),
                _french_amount(vat.sum()),
                _french_amount(net.sum() + vat.sum()),
            ]
        )
    ]

    def build(rows: slice) -> pa.Table:
        number = pc.utf8_lpad(pc.cast(pa.array(numbers[rows]), pa.string()), width=5, padding="0")
        return pa.table(
            {
                "N° facture": pc.binary_join_element_wise(
                    "FA", pc.cast(pa.array(years[rows]), pa.string()), number, "-"
                ),
                "Date": _day_labels(inv["day"][rows]),
                "Client": _account_names(history, inv["account"][rows]),
                "Désignation": _designations(inv["kind"][rows], inv["product"][rows], inv["month"][rows]),
                "Produit": _labels(inv["product"][rows], [p.name for p in co.PRODUCTS]),
                "Réf. affaire": pa.array(inv["deal"][rows]),
                "Montant HT (€)": _french_amounts(net[rows]),
                "TVA (€)": _french_amounts(vat[rows]),
                "Montant TTC (€)": _french_amounts(net[rows] + vat[rows]),
            }
        )

    write_table(
        folder / name,
        len(net),
        build,
        delimiter=";",
        encoding="cp1252",
        quoted=False,
        crlf=True,
        title=title,
        footer=footer,
    )
    return name


def write_reps(folder: Path, history: History) -> str:
    name = "equipe-commerciale.csv"
    joined = np.array([history.timeline.end_day - r.joined_days_before_end for r in co.REPS])
    table = pa.table(
        {
            "Commercial": pa.array(_reps()),
            "Équipe": pa.array([r.team for r in co.REPS]),
            "Manager": pa.array([co.SALES_MANAGER] * len(co.REPS)),
            "Date d'arrivée": _day_labels(joined),
        }
    )
    write_table(
        folder / name, len(co.REPS), lambda rows: table, delimiter=";", encoding="cp1252", quoted=False, crlf=True
    )
    return name


def write_products(folder: Path, history: History) -> str:
    name = "catalogue-produits.csv"
    table = pa.table(
        {
            "Produit": pa.array([p.name for p in co.PRODUCTS]),
            "Famille": pa.array([p.family for p in co.PRODUCTS]),
            "Prix catalogue HT (€)": _french_amounts(np.array([round(p.list_price * 100) for p in co.PRODUCTS])),
            "Facturation": pa.array([BILLING_LABELS[p.billing] for p in co.PRODUCTS]),
        }
    )
    write_table(
        folder / name, len(co.PRODUCTS), lambda rows: table, delimiter=";", encoding="cp1252", quoted=False, crlf=True
    )
    return name


# ---------------------------------------------------------------- client.yml


def import_mapping(files: dict[str, list[str]]) -> dict[str, Any]:
    """The ``import:`` section reading the files above (docs/mapping.md; no presets)."""
    stage_values = dict(zip(co.STAGE_LABELS, co.STAGE_IDS))
    outcome_values = {label: canonical for t in co.ACTIVITY_TYPES for label, canonical in co.OUTCOMES[t]}
    return {
        "deals": {
            "files": files["deals"],
            "format": {"encoding": "utf-8", "separator": ",", "date_format": "iso"},
            "columns": {
                "deal_id": "Affaire - ID",
                "name": "Affaire - Titre",
                "account_id": "Affaire - Organisation",
                "owner": "Affaire - Propriétaire",
                "stage": "Affaire - Étape",
                "status": "Affaire - Statut",
                "value": "Affaire - Valeur",
                "created_at": "Affaire - Affaire créée",
                "closed_at": "Affaire - Affaire conclue le",
                "expected_close_at": "Affaire - Date de clôture prévue",
                "product": "Affaire - Produit",
                "source": "Affaire - Source",
                "lost_reason": "Affaire - Raison de la perte",
                "pipeline": "Affaire - Pipeline",
                "lead_id": "Affaire - ID du prospect",
            },
            "values": {
                "stage": stage_values,
                "status": dict(zip(STATUS_LABELS, ("open", "won", "lost"))),
                "product": {old: co.PRODUCTS[code].name for code, old in co.OLD_PRODUCT_SPELLING.items()},
            },
        },
        "stage_history": {
            "files": files["stage_history"],
            "format": {"encoding": "utf-8", "separator": ",", "date_format": "iso"},
            "columns": {"deal_id": "Affaire - ID", "stage": "Étape", "entered_at": "Date d'entrée dans l'étape"},
            "values": {"stage": stage_values},
        },
        "activities": {
            "files": files["activities"],
            "format": {"encoding": "utf-8", "separator": ",", "date_format": "iso"},
            "columns": {
                "activity_id": "Activité - ID",
                "at": "Activité - Date d'échéance",
                "owner": "Activité - Attribuée à",
                "outcome": "Activité - Résultat",
                "deal_id": "Activité - ID de l'affaire",
                "lead_id": "Activité - ID du prospect",
                "account_id": "Activité - Organisation",
                "subject": "Activité - Sujet",
                "duration_seconds": "Activité - Durée (secondes)",
            },
            "values": {"outcome": outcome_values},
            "constants": {"direction": "outbound"},
            "derive": {"type": {"from": "Activité - Type", "map": dict(zip(co.ACTIVITY_LABELS, co.ACTIVITY_TYPES))}},
        },
        "accounts": {
            "files": files["accounts"],
            "format": {"encoding": "auto", "separator": ",", "date_format": "iso"},
            "columns": {
                "account_id": "Organisation - Nom",
                "sector": "Organisation - Secteur d'activité",
                "employees": "Organisation - Nombre d'employés",
                "size_band": "Organisation - Tranche d'effectif",
                "region": "Organisation - Région",
                "country": "Organisation - Pays",
                "created_at": "Organisation - Organisation créée",
                "churned_at": "Organisation - Date de résiliation",
                "churn_reason": "Organisation - Motif de résiliation",
            },
        },
        "leads": {
            "files": files["leads"],
            "format": {"encoding": "auto", "separator": ";", "date_format": "%d/%m/%Y %H:%M"},
            "columns": {
                "lead_id": "Réf. prospect",
                "created_at": "Date d'arrivée",
                "owner": "Commercial",
                "source": "Source",
                "status": "Statut",
                "account_id": "Entreprise",
                "sector": "Secteur",
                "employees": "Effectif",
                "region": "Région",
                "converted_at": "Date de conversion",
                "deal_id": "N° affaire",
            },
            "values": {"source": {s.lead_label: s.name for s in co.SOURCES if s.lead_label != s.name}},
        },
        "revenue": {
            "files": files["revenue"],
            "format": {
                "encoding": "windows-1252",
                "separator": ";",
                "decimal": ",",
                "thousands": " ",
                "skip_rows": 2,
                "drop_total_row": True,
                "date_format": "dayfirst",
            },
            "columns": {
                "invoice_id": "N° facture",
                "date": "Date",
                "account_id": "Client",
                "amount": "Montant HT (€)",
                "product": "Produit",
                "deal_id": "Réf. affaire",
            },
        },
        "reps": {
            "files": files["reps"],
            "format": {"encoding": "auto", "separator": ";", "date_format": "dayfirst"},
            "columns": {"owner": "Commercial", "team": "Équipe", "manager": "Manager", "start_date": "Date d'arrivée"},
        },
        "events": {
            "files": files["events"],
            "format": {"encoding": "auto", "separator": ";", "date_format": "dayfirst"},
            "columns": {
                "account_id": "Entreprise",
                "type": "Type d'événement",
                "date": "Date",
                "source": "Source",
                "description": "Détail",
            },
            "values": {"type": dict(zip(co.EVENT_LABELS, co.EVENT_TYPES))},
        },
        "products": {
            "files": files["products"],
            "format": {"encoding": "auto", "separator": ";", "decimal": ",", "thousands": " "},
            "columns": {"product": "Produit", "family": "Famille", "list_price": "Prix catalogue HT (€)"},
        },
    }


class _Dumper(yaml.SafeDumper):
    """Block style, except short mappings and lists of plain values, which stay on one line."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _is_short(items: list[Any]) -> bool:
    return all(not isinstance(v, (dict, list)) for v in items) and sum(len(str(v)) + 4 for v in items) <= 80


def _represent_dict(dumper: yaml.SafeDumper, data: dict[Any, Any]) -> yaml.Node:
    flow = _is_short([*data.keys(), *data.values()])
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=_is_short(data))


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)


def client_yaml(history: History, files: dict[str, list[str]]) -> str:
    """client.yml of the demo client: settings, the seven stages, the import mapping."""

    def dump(data: Any) -> str:
        return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=200)

    settings = {
        "display_name": co.DISPLAY_NAME,
        "language": "fr",
        "currency": "EUR",
        "timezone": "Europe/Paris",
        "fiscal_year_start_month": 1,
        "data_cutoff": history.timeline.end,
    }
    stages = {"stages": [dict(s) for s in DEFAULT_STAGES]}
    header = (
        f"# Demo client: {co.COMPANY_NAME}, a fictional French software and services company.\n"
        "# Generated by 'strategy-kit demo'; the exports in raw/ are fictional.\n"
        "# Mapping reference: docs/mapping.md\n"
    )
    sections = [
        header,
        dump(settings),
        "\n# Pipeline stages, in order.\n",
        dump(stages),
        "\n# How to read the exports in raw/ (Pipedrive exports in French, hand-kept spreadsheets).\n",
        dump({"import": import_mapping(files)}),
    ]
    return "".join(sections)


# Each table's writer: the file it wrote in raw/ (the activities: one file per year).
WRITERS: dict[str, Callable[[Path, History], str | list[str]]] = {
    "deals": write_deals,
    "stage_history": write_stage_history,
    "activities": write_activities,
    "accounts": write_organisations,
    "leads": write_leads,
    "revenue": write_invoices,
    "reps": write_reps,
    "products": write_products,
    "events": write_events,
}


def write_client(folder: Path, history: History) -> None:
    """Write raw/, inputs/ (the strategist's persona and market) and client.yml into ``folder`` (which must exist and be empty)."""
    raw = folder / "raw"
    raw.mkdir()
    write_inputs(folder / "inputs", deals=len(history.deals["owner"]))
    files: dict[str, list[str]] = {}
    for table, writer in WRITERS.items():
        written = writer(raw, history)
        files[table] = written if isinstance(written, list) else [written]
    # Several yearly activity files are read through one pattern.
    files["activities"] = ["pipedrive-activites-*.csv"]
    (folder / "client.yml").write_text(client_yaml(history, files), encoding="utf-8")
