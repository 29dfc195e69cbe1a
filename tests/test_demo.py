"""The demo client (strategy_kit.demo): files, mapping, determinism, --force, planted patterns.

The planted patterns (listed in the strategy_kit.demo docstring) are checked with plain pandas
on the raw exports, the way an analyst would look for them. Thresholds sit well inside what the
generator's parameters imply, with margins wide enough for other seeds too (only seed 7 runs here).
"""

from __future__ import annotations

import filecmp
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from strategy_kit.config import DEFAULT_STAGES, load_client_config
from strategy_kit.demo import build_demo
from strategy_kit.demo.inputs import MARKET, OBJECTIVES, PERSONA
from strategy_kit.errors import WorkspaceError
from strategy_kit.inputs import load_input
from strategy_kit.workspace import Workspace

END = date(2026, 9, 30)  # the default end, a Wednesday
LAST_MOMENT = pd.Timestamp(END) + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
REACHED = ["Joint", "RDV pris", "Rappel demandé"]


def read_raw(raw: Path) -> dict[str, pd.DataFrame]:
    """Every export, read with the options client.yml declares for it."""
    [deals_file] = raw.glob("pipedrive-affaires-*.csv")
    [organisations_file] = raw.glob("pipedrive-organisations-*.csv")
    deals = pd.read_csv(
        deals_file,
        parse_dates=[
            "Affaire - Affaire créée",
            "Affaire - Affaire conclue le",
            "Affaire - Heure de gain",
            "Affaire - Heure de perte",
        ],
    )
    activities = pd.concat(
        [
            pd.read_csv(f, parse_dates=["Activité - Marquée comme terminée le"])
            for f in sorted(raw.glob("pipedrive-activites-*.csv"))
        ],
        ignore_index=True,
    )
    history = pd.read_csv(raw / "pipedrive-historique-etapes.csv", parse_dates=["Date d'entrée dans l'étape"])
    organisations = pd.read_csv(
        organisations_file,
        encoding="utf-8-sig",
        parse_dates=["Organisation - Organisation créée", "Organisation - Date de résiliation"],
    )
    leads = pd.read_csv(raw / "suivi-prospects.csv", sep=";", encoding="utf-8-sig")
    for column in ("Date d'arrivée", "Date de conversion"):
        leads[column] = pd.to_datetime(leads[column], format="%d/%m/%Y %H:%M")
    invoices = pd.read_csv(
        raw / "journal-des-ventes.csv", sep=";", encoding="cp1252", decimal=",", thousands=" ", skiprows=2
    )
    total = invoices[invoices["N° facture"].str.startswith("Total")]
    invoices = invoices.drop(total.index)
    invoices["Date"] = pd.to_datetime(invoices["Date"], format="%d/%m/%Y")
    invoices["Réf. affaire"] = invoices["Réf. affaire"].astype(int)
    return {
        "deals": deals,
        "activities": activities,
        "history": history,
        "organisations": organisations,
        "leads": leads,
        "invoices": invoices,
        "invoice_total": total,
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    workspace = Workspace(tmp_path_factory.mktemp("demo-ws"))
    return workspace, build_demo(workspace)


@pytest.fixture(scope="module")
def raw(demo) -> dict[str, pd.DataFrame]:
    return read_raw(demo[1].raw)


@pytest.fixture(scope="module")
def closed_deals(raw) -> pd.DataFrame:
    deals = raw["deals"].merge(
        raw["organisations"],
        left_on="Affaire - Organisation",
        right_on="Organisation - Nom",
        how="left",
        validate="many_to_one",
    )
    closed = deals[deals["Affaire - Statut"] != "Ouvert"].copy()
    closed["won"] = closed["Affaire - Statut"] == "Gagné"
    return closed


# ---------------------------------------------------------------- the client folder


def test_client_yml_settings_and_explicit_mapping(demo):
    _, paths = demo
    config = load_client_config(paths.config_file, "demo")
    assert (config.language, config.currency, config.timezone, config.fiscal_year_start_month) == (
        "fr",
        "EUR",
        "Europe/Paris",
        1,
    )
    assert config.data_cutoff == END
    assert config.stage_ids == [s["id"] for s in DEFAULT_STAGES]
    assert set(config.import_spec) == {
        "deals",
        "accounts",
        "leads",
        "stage_history",
        "activities",
        "revenue",
        "reps",
        "products",
        "events",
    }
    assert "preset" not in paths.config_file.read_text(encoding="utf-8")
    for table, spec in config.import_spec.items():
        assert spec["columns"], table
        for pattern in spec["files"]:
            assert list(paths.raw.glob(pattern)), f"{table}: no file matches {pattern}"
    assert sorted(p.name for p in paths.inputs.iterdir()) == ["market.yml", "objectives.yml", "persona.yml"]
    assert load_input(paths.inputs, "persona") == PERSONA and load_input(paths.inputs, "market") == MARKET
    assert load_input(paths.inputs, "objectives") == OBJECTIVES


def test_sizes_are_near_the_demo_targets(raw):
    assert len(raw["deals"]) == 5000
    assert 54_000 <= len(raw["activities"]) <= 66_000
    assert raw["deals"]["Affaire - ID"].is_unique and raw["activities"]["Activité - ID"].is_unique
    assert len(raw["leads"]) > len(raw["deals"])
    assert raw["organisations"]["Organisation - Nom"].is_unique
    assert raw["invoices"]["N° facture"].is_unique


def test_history_covers_three_years_and_ends_on_the_end_day(raw):
    deals, activities = raw["deals"], raw["activities"]
    moments = pd.concat(
        [
            deals["Affaire - Affaire créée"],
            deals["Affaire - Affaire conclue le"].dropna(),
            raw["history"]["Date d'entrée dans l'étape"],
            activities["Activité - Marquée comme terminée le"],
            raw["leads"]["Date d'arrivée"],
            raw["leads"]["Date de conversion"].dropna(),
            raw["organisations"]["Organisation - Organisation créée"],
            raw["organisations"]["Organisation - Date de résiliation"].dropna(),
            raw["invoices"]["Date"],
        ]
    )
    assert moments.max() <= LAST_MOMENT
    assert moments.min() >= pd.Timestamp(END.replace(year=END.year - 3))
    assert activities["Activité - Marquée comme terminée le"].max().date() == END
    assert deals["Affaire - Affaire créée"].min() < pd.Timestamp("2023-10-15")


def test_deal_statuses_dates_and_stage_history_agree(raw):
    deals, history = raw["deals"], raw["history"]
    won = deals["Affaire - Statut"] == "Gagné"
    lost = deals["Affaire - Statut"] == "Perdu"
    opened = deals["Affaire - Statut"] == "Ouvert"
    assert (deals.loc[won, "Affaire - Étape"] == "Affaire remportée").all()
    assert deals.loc[won, "Affaire - Heure de gain"].notna().all()
    assert deals.loc[lost, "Affaire - Raison de la perte"].notna().all()
    assert deals.loc[opened, "Affaire - Affaire conclue le"].isna().all()
    assert deals.loc[~opened, "Affaire - Affaire conclue le"].notna().all()
    assert (deals["Affaire - Affaire conclue le"].dropna() >= deals.loc[~opened, "Affaire - Affaire créée"]).all()
    # Stage history: starts at creation in Prospection, chronological, ends at the current stage.
    first = history.groupby("Affaire - ID").first()
    last = history.groupby("Affaire - ID").last()
    by_id = deals.set_index("Affaire - ID")
    assert (first["Étape"] == "Prospection").all()
    assert (first["Date d'entrée dans l'étape"] == by_id.loc[first.index, "Affaire - Affaire créée"]).all()
    assert (last["Étape"] == by_id.loc[last.index, "Affaire - Étape"]).all()
    assert history.groupby("Affaire - ID")["Date d'entrée dans l'étape"].is_monotonic_increasing.all()
    won_rows = history[history["Étape"] == "Affaire remportée"].set_index("Affaire - ID")
    assert (won_rows["Date d'entrée dans l'étape"] == by_id.loc[won_rows.index, "Affaire - Heure de gain"]).all()


def test_references_between_exports_resolve(raw):
    deals, leads, organisations = raw["deals"], raw["leads"], raw["organisations"]
    names = set(organisations["Organisation - Nom"])
    assert set(deals["Affaire - Organisation"]) <= names
    assert set(leads["Entreprise"]) <= names
    assert set(raw["activities"]["Activité - Organisation"]) <= names
    assert set(raw["invoices"]["Client"]) <= names
    # A converted lead and its deal point at each other.
    converted = leads.dropna(subset=["N° affaire"])
    lead_of_deal = deals.dropna(subset=["Affaire - ID du prospect"]).set_index("Affaire - ID")[
        "Affaire - ID du prospect"
    ]
    assert (
        lead_of_deal.loc[converted["N° affaire"].astype(int)].to_numpy() == converted["Réf. prospect"].to_numpy()
    ).all()
    assert len(converted) == len(lead_of_deal)
    assert (converted["Statut"] == "Converti").all()
    activity_deals = raw["activities"]["Activité - ID de l'affaire"].dropna().astype(int)
    assert set(activity_deals) <= set(deals["Affaire - ID"])
    assert set(raw["activities"]["Activité - ID du prospect"].dropna()) <= set(leads["Réf. prospect"])


# ---------------------------------------------------------------- planted patterns


def test_reps_really_differ(raw, closed_deals):
    per_rep = closed_deals.groupby("Affaire - Propriétaire")["won"].agg(["size", "mean"])
    assert len(per_rep) == 10
    seasoned = per_rep[per_rep["size"] >= 150]["mean"]
    assert seasoned.max() - seasoned.min() >= 0.10
    deals_per_rep = raw["deals"]["Affaire - Propriétaire"].value_counts()
    activities_per_rep = raw["activities"]["Activité - Attribuée à"].value_counts()
    assert deals_per_rep.idxmax() == "Thomas Bernard" and activities_per_rep.idxmax() == "Thomas Bernard"
    assert per_rep.loc["Thomas Bernard", "mean"] < per_rep["mean"].median()
    # Deal size, relative to the product's median deal (products differ much more than reps).
    deals = raw["deals"]
    product = deals["Affaire - Produit"].str.replace("Orsea", "Orséa")
    relative_size = deals["Affaire - Valeur"] / deals.groupby(product)["Affaire - Valeur"].transform("median")
    assert relative_size.groupby(deals["Affaire - Propriétaire"]).median().idxmax() == "Camille Dubois"
    # Two reps joined recently: their first deal is recent.
    first_deal = raw["deals"].groupby("Affaire - Propriétaire")["Affaire - Affaire créée"].min()
    assert first_deal["Léa Fournier"] >= pd.Timestamp(END - timedelta(days=150))
    assert first_deal["Hugo Lambert"] >= pd.Timestamp(END - timedelta(days=330))
    history_start = pd.Timestamp(END.replace(year=END.year - 3))
    assert (first_deal.drop(["Léa Fournier", "Hugo Lambert"]) < history_start + pd.Timedelta(days=90)).all()


def test_one_rep_is_slow_to_contact_leads(raw):
    leads, activities = raw["leads"], raw["activities"]
    on_leads = activities.dropna(subset=["Activité - ID du prospect"])
    first_touch = on_leads.groupby("Activité - ID du prospect")["Activité - Marquée comme terminée le"].min()
    delay = leads["Réf. prospect"].map(first_touch) - leads["Date d'arrivée"]
    within_24h = (delay <= pd.Timedelta(hours=24)).groupby(leads["Commercial"]).mean()
    assert within_24h.idxmin() == "Antoine Laurent"
    assert within_24h["Antoine Laurent"] < 0.5
    assert (within_24h.drop("Antoine Laurent") > 0.65).all()


def test_call_connect_rate_depends_on_weekday_and_hour(raw):
    done = raw["activities"]["Activité - Terminée"] == "Terminé"  # planned next steps have no time done
    calls = raw["activities"][(raw["activities"]["Activité - Type"] == "Appel") & done]
    at = calls["Activité - Marquée comme terminée le"]
    reached = calls["Activité - Résultat"].isin(REACHED)
    weekday, hour = at.dt.day_of_week, at.dt.hour
    best = reached[weekday.between(1, 3) & hour.between(9, 10)].mean()
    monday_morning = reached[(weekday == 0) & (hour < 12)].mean()
    friday_afternoon = reached[(weekday == 4) & (hour >= 14)].mean()
    lunch = reached[hour.between(12, 13)].mean()
    assert best - max(monday_morning, friday_afternoon, lunch) >= 0.15
    assert (weekday < 5).all() and hour.between(8, 18).all()


def test_august_trough_june_and_december_peaks_and_growth(raw, closed_deals):
    created = raw["deals"]["Affaire - Affaire créée"]
    two_full_years = created[created > pd.Timestamp(END.replace(year=END.year - 2))]
    per_month = two_full_years.dt.month.value_counts().sort_index()
    others = per_month.drop(8)
    assert per_month[8] < 0.6 * others.mean()
    assert per_month[[6, 12]].mean() > 1.1 * per_month.drop([6, 8, 12]).mean()
    won_at = closed_deals.loc[closed_deals["won"], "Affaire - Heure de gain"]
    won_per_month = won_at[won_at > pd.Timestamp(END.replace(year=END.year - 2))].dt.month.value_counts()
    assert won_per_month[8] < 0.6 * won_per_month.drop(8).mean()
    activity_months = raw["activities"]["Activité - Marquée comme terminée le"].dt.month.value_counts()
    assert activity_months[8] < 0.7 * activity_months.drop(8).mean()
    last_year = (created > pd.Timestamp(END.replace(year=END.year - 1))).sum()
    year_before = created.between(
        pd.Timestamp(END.replace(year=END.year - 2)), pd.Timestamp(END.replace(year=END.year - 1)), inclusive="right"
    ).sum()
    assert 1.03 <= last_year / year_before <= 1.45


def test_segments_differ(closed_deals):
    segment = (
        closed_deals["Organisation - Secteur d'activité"] + " x " + closed_deals["Organisation - Tranche d'effectif"]
    )
    per_segment = closed_deals.groupby(segment)["won"].agg(["size", "mean"])
    overall = closed_deals["won"].mean()
    # The opportunity: high win rate, few deals.
    assert per_segment.loc["Santé x 250-999", "mean"] >= overall + 0.12
    assert per_segment.loc["Santé x 250-999", "size"] < 0.06 * len(closed_deals)
    # The saturated segment: the most deals, a below-average win rate that falls over time.
    assert per_segment["size"].idxmax() == "Commerce x 10-49"
    assert per_segment.loc["Commerce x 10-49", "mean"] < overall - 0.05
    # ... and falls further behind the others: its win rate relative to all deals closed in the
    # same half of the history (first 18 months, last 18 months).
    first_half = closed_deals["Affaire - Affaire conclue le"] <= pd.Timestamp(
        END.replace(year=END.year - 2) + timedelta(days=182)
    )
    saturated = segment == "Commerce x 10-49"

    def relative_win_rate(period: pd.Series) -> float:
        return closed_deals.loc[period & saturated, "won"].mean() / closed_deals.loc[period, "won"].mean()

    assert relative_win_rate(~first_half) < 0.9 * relative_win_rate(first_half)
    # Industrie's cycle lengthens, the other sectors' does not (cycles relative to the product's
    # median cycle: products differ much more than years): deals won in the last year vs the first.
    won = closed_deals[closed_deals["won"]]
    cycle = (won["Affaire - Heure de gain"] - won["Affaire - Affaire créée"]).dt.days
    cycle = cycle / cycle.groupby(won["Affaire - Produit"].str.replace("Orsea", "Orséa")).transform("median")
    recent = won["Affaire - Heure de gain"] > pd.Timestamp(END.replace(year=END.year - 1))
    early = won["Affaire - Heure de gain"] <= pd.Timestamp(END.replace(year=END.year - 2))
    industrie = won["Organisation - Secteur d'activité"] == "Industrie"
    assert cycle[industrie & recent].median() >= 1.25 * cycle[industrie & early].median()
    assert cycle[~industrie & recent].median() < 1.15 * cycle[~industrie & early].median()


def test_lost_reasons_depend_on_the_stage(closed_deals):
    lost = closed_deals[~closed_deals["won"]]
    price_or_competitor = lost["Affaire - Raison de la perte"].isin(["Prix", "Concurrent"])
    late = lost["Affaire - Étape"].isin(["Proposition envoyée", "Négociation"])
    early = lost["Affaire - Étape"].isin(["Prospection", "Qualification"])
    assert price_or_competitor[late].mean() > 0.45
    assert price_or_competitor[early].mean() < 0.15


def test_invoices_add_up_to_the_won_deals(raw):
    deals = raw["deals"].set_index("Affaire - ID")
    invoices = raw["invoices"]
    deal = deals.loc[invoices["Réf. affaire"]]
    assert (deal["Affaire - Statut"] == "Gagné").all()
    assert (deal["Affaire - Organisation"].to_numpy() == invoices["Client"].to_numpy()).all()
    assert (invoices["Date"].to_numpy() >= deal["Affaire - Heure de gain"].dt.normalize().to_numpy()).all()
    # The total row is the sum of the lines (in cents, to stay exact).
    total = raw["invoice_total"].iloc[0]
    assert round(total["Montant HT (€)"] * 100) == round(invoices["Montant HT (€)"].sum() * 100)
    assert (invoices["Montant TTC (€)"] - invoices["Montant HT (€)"] * 1.2).abs().max() < 0.011

    lines = invoices.sort_values(["Réf. affaire", "Date"]).groupby("Réf. affaire")
    amounts = lines["Montant HT (€)"]
    won = deals[deals["Affaire - Statut"] == "Gagné"]
    settled = won["Affaire - Heure de gain"] < pd.Timestamp(END - timedelta(days=160))
    # Services: deposit + balance = the deal value.
    services = won[settled & won["Affaire - Produit"].isin(["Pack Déploiement", "Intégration sur mesure"])]
    assert len(services) > 50
    assert (amounts.sum().loc[services.index] == services["Affaire - Valeur"]).all()
    # Subscriptions: set-up fee + the first year (12 monthly or 1 annual line) = the deal value.
    count = lines.size()
    essentiel = won[won["Affaire - Produit"].str.startswith("Ors") & won["Affaire - Produit"].str.endswith("Essentiel")]
    essentiel = essentiel[essentiel.index.isin(count[count >= 13].index)]
    performance = won[won["Affaire - Produit"] == "Orséa Performance"]
    performance = performance[performance.index.isin(count[count >= 2].index)]
    assert len(essentiel) > 30 and len(performance) > 30
    assert (
        lines.head(13).groupby("Réf. affaire")["Montant HT (€)"].sum().loc[essentiel.index]
        == essentiel["Affaire - Valeur"]
    ).all()
    assert (
        lines.head(2).groupby("Réf. affaire")["Montant HT (€)"].sum().loc[performance.index]
        == performance["Affaire - Valeur"]
    ).all()
    first_lines = lines.head(1).set_index("Réf. affaire")["Désignation"]
    assert first_lines.loc[essentiel.index].str.startswith("Frais de mise en service").all()


def test_churned_customers_have_reasons(raw):
    organisations = raw["organisations"]
    churned = organisations.dropna(subset=["Organisation - Date de résiliation"])
    assert len(churned) >= 30
    assert churned["Organisation - Motif de résiliation"].notna().all()
    subscribers = raw["invoices"].loc[raw["invoices"]["Produit"].str.startswith("Orséa"), "Client"]
    assert set(churned["Organisation - Nom"]) <= set(subscribers)
    trust = (churned["Organisation - Motif de résiliation"] == "Confiance / service client insatisfaisant").mean()
    assert 0.15 <= trust <= 0.45
    # No subscription is invoiced after the customer left.
    left = churned.set_index("Organisation - Nom")["Organisation - Date de résiliation"]
    subscriptions = raw["invoices"][raw["invoices"]["Désignation"].str.startswith("Abonnement")]
    subscriptions = subscriptions[subscriptions["Client"].isin(left.index)]
    assert (subscriptions["Date"].to_numpy() < subscriptions["Client"].map(left).to_numpy()).all()


def test_the_demo_imports_strictly(demo):
    importer = pytest.importorskip("strategy_kit.importer")
    workspace, _ = demo
    result = importer.import_client(workspace, "demo")  # strict: raises on any problem
    assert result.rows["deals"] == 5000
    assert not result.rejected


# ---------------------------------------------------------------- determinism, sizes, --force


def test_same_seed_and_end_give_identical_files(tmp_path):
    first = build_demo(Workspace(tmp_path / "a"), deals=300)
    second = build_demo(Workspace(tmp_path / "b"), deals=300)
    files = sorted(p.relative_to(first.folder) for p in first.folder.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second.folder) for p in second.folder.rglob("*") if p.is_file())
    for name in files:
        assert filecmp.cmp(first.folder / name, second.folder / name, shallow=False), name
    other = build_demo(Workspace(tmp_path / "c"), deals=300, seed=8)
    deals = next(other.raw.glob("pipedrive-affaires-*.csv"))
    assert deals.read_bytes() != (first.raw / deals.name).read_bytes()


def test_end_date_and_size_overrides(tmp_path):
    sunday = date(2025, 3, 16)
    paths = build_demo(Workspace(tmp_path), deals=400, activities=3000, end=sunday)
    raw = read_raw(paths.raw)
    assert len(raw["deals"]) == 400
    assert 2500 <= len(raw["activities"]) <= 3500
    last = raw["activities"]["Activité - Marquée comme terminée le"].max()
    assert last.date() == date(2025, 3, 14)  # the Friday before
    assert load_client_config(paths.config_file, "demo").data_cutoff == sunday
    assert next(paths.raw.glob("pipedrive-affaires-*.csv")).name == "pipedrive-affaires-2025-03-16.csv"


def test_existing_client_needs_force(tmp_path, monkeypatch):
    workspace = Workspace(tmp_path)
    paths = build_demo(workspace, deals=200)
    marker = paths.inputs / "notes.yml"  # a file of the strategist's that --force drops
    marker.write_text("growth: 0.1\n", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="--force"):
        build_demo(workspace, deals=200)
    assert marker.exists()

    # A failure while writing leaves the existing client untouched and no half-built folder.
    import strategy_kit.demo.exports as exports

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(exports, "write_client", broken)
    with pytest.raises(OSError):
        build_demo(workspace, deals=200, force=True)
    assert marker.exists()
    monkeypatch.undo()

    build_demo(workspace, deals=200, force=True)
    assert not marker.exists() and paths.config_file.is_file()
    assert sorted(p.name for p in workspace.data_dir.iterdir()) == ["demo"]


def test_unknown_scale_is_refused(tmp_path):
    with pytest.raises(WorkspaceError, match="enterprise"):
        build_demo(Workspace(tmp_path), scale="huge")


def test_calls_have_durations_and_open_deals_planned_next_steps(raw):
    activities = raw["activities"]
    calls = activities[activities["Activité - Type"] == "Appel"]
    median = calls.groupby("Activité - Résultat")["Activité - Durée (secondes)"].median()
    # Medians planted: meeting booked 540 s > connected 240 s > callback 90 s > voicemail 35 s > no answer 0 s.
    assert median["RDV pris"] > median["Joint"] > median["Rappel demandé"] > median["Messagerie"] > 0
    assert median["Pas de réponse"] == 0
    planned = activities[activities["Activité - Terminée"] == "À faire"]
    due = pd.to_datetime(planned["Activité - Date d'échéance"])
    assert len(planned) > 100 and (due > LAST_MOMENT).all() and planned["Activité - Résultat"].isna().all()
    open_ids = raw["deals"].loc[raw["deals"]["Affaire - Statut"] == "Ouvert", "Affaire - ID"]
    assert set(planned["Activité - ID de l'affaire"].astype(int)) <= set(open_ids)
    done = activities[activities["Activité - Terminée"] == "Terminé"]
    assert (pd.to_datetime(done["Activité - Date d'échéance"]) <= LAST_MOMENT).all()


def test_a_larger_demo_company_has_a_market_as_much_larger(tmp_path):
    from strategy_kit.demo.inputs import write_inputs
    from strategy_kit.inputs.market import load_market

    write_inputs(tmp_path / "demo", deals=5_000)
    write_inputs(tmp_path / "enterprise", deals=1_000_000)
    write_inputs(tmp_path / "tiny", deals=10)
    demo, enterprise = load_market(tmp_path / "demo"), load_market(tmp_path / "enterprise")
    assert demo is not None and enterprise is not None
    assert demo.addressable["Santé · 250-999"] == 160  # the demo's own figure
    assert enterprise.addressable["Santé · 250-999"] == 32_000  # 160 x 1,000,000 / 5,000
    tiny = load_market(tmp_path / "tiny")
    assert tiny is not None and min(tiny.addressable.values()) >= 1  # never an empty market
