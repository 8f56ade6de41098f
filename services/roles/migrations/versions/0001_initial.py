"""Persons, entities, qualities held, application roles, PrimaWeb agents and profiles;
the PrimaWeb profile catalogue as reference data.

The catalogue is seeded here (not in the demo data) because it is part of what PrimaWeb
is, the same in every environment; a label change is a new migration. The rows are
written out literally so this revision means the same thing forever.

Revision ID: 0001
Revises:
Create Date: 2025-01-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)

PROFILES = [
    {
        "code": "consultation",
        "display_order": 10,
        "label_fr": "Consultation des dossiers",
        "label_nl": "Raadpleging van de dossiers",
        "label_de": "Einsicht in die Akten",
        "label_en": "Consulting files",
        "description_fr": "Consulter les dossiers des bénéficiaires et leur historique, sans les modifier.",
        "description_nl": "De dossiers van de begunstigden en hun geschiedenis raadplegen, zonder ze te wijzigen.",
        "description_de": "Die Akten der Begünstigten und ihren Verlauf einsehen, ohne sie zu ändern.",
        "description_en": "View the beneficiaries' files and their history, without changing them.",
    },
    {
        "code": "encodage-ris",
        "display_order": 20,
        "label_fr": "Encodage — loi du 26 mai 2002 concernant le droit à l'intégration sociale",
        "label_nl": "Invoer — wet van 26 mei 2002 betreffende het recht op maatschappelijke integratie",
        "label_de": "Erfassung — Gesetz vom 26. Mai 2002 über das Recht auf soziale Eingliederung",
        "label_en": "Data entry — Act of 26 May 2002 on the right to social integration",
        "description_fr": "Encoder les décisions relevant du droit à l'intégration sociale (revenu d'intégration).",
        "description_nl": "De beslissingen invoeren die onder het recht op maatschappelijke integratie vallen"
                          " (leefloon).",
        "description_de": "Die Beschlüsse zum Recht auf soziale Eingliederung erfassen (Eingliederungseinkommen).",
        "description_en": "Enter the decisions under the right to social integration (integration income).",
    },
    {
        "code": "encodage-aide-sociale",
        "display_order": 30,
        "label_fr": "Encodage — loi du 2 avril 1965 relative à la prise en charge des secours accordés par les CPAS",
        "label_nl": "Invoer — wet van 2 april 1965 betreffende het ten laste nemen van de steun verleend door"
                    " de OCMW's",
        "label_de": "Erfassung — Gesetz vom 2. April 1965 über die Übernahme der von den ÖSHZ gewährten"
                    " Unterstützungen",
        "label_en": "Data entry — Act of 2 April 1965 on the funding of assistance granted by the public social"
                    " welfare centres",
        "description_fr": "Encoder l'aide sociale dont l'État rembourse le coût (aide médicale, aide équivalente).",
        "description_nl": "De maatschappelijke hulp invoeren waarvan de Staat de kosten terugbetaalt (medische hulp,"
                          " equivalent leefloon).",
        "description_de": "Die Sozialhilfe erfassen, deren Kosten der Staat erstattet (medizinische Hilfe,"
                          " gleichwertige Hilfe).",
        "description_en": "Enter the social assistance whose cost the State refunds (medical aid, equivalent aid).",
    },
    {
        "code": "envoi-formulaires",
        "display_order": 40,
        "label_fr": "Envoi des formulaires de remboursement au SPP Intégration sociale",
        "label_nl": "Verzending van de terugbetalingsformulieren naar de POD Maatschappelijke Integratie",
        "label_de": "Versand der Erstattungsformulare an den ÖPD Sozialeingliederung",
        "label_en": "Sending the reimbursement forms to the PPS Social Integration",
        "description_fr": "Transmettre au SPP Intégration sociale les formulaires de demande de remboursement.",
        "description_nl": "De formulieren voor terugbetaling aan de POD Maatschappelijke Integratie bezorgen.",
        "description_de": "Die Erstattungsanträge an den ÖPD Sozialeingliederung übermitteln.",
        "description_en": "Send the reimbursement claim forms to the PPS Social Integration.",
    },
    {
        "code": "rapports",
        "display_order": 50,
        "label_fr": "Rapports et statistiques",
        "label_nl": "Rapporten en statistieken",
        "label_de": "Berichte und Statistiken",
        "label_en": "Reports and statistics",
        "description_fr": "Consulter les rapports et les statistiques de l'activité du CPAS dans PrimaWeb.",
        "description_nl": "De rapporten en statistieken over de activiteit van het OCMW in PrimaWeb raadplegen.",
        "description_de": "Die Berichte und Statistiken über die Tätigkeit des ÖSHZ in PrimaWeb einsehen.",
        "description_en": "View the reports and statistics on the centre's activity in PrimaWeb.",
    },
]


def upgrade() -> None:
    op.create_table(
        "persons",
        sa.Column("nrn", sa.String(11), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("nrn", name="pk_persons"),
    )
    op.create_table(
        "entities",
        sa.Column("enterprise_number", sa.String(10), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("commune", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_number", name="pk_entities"),
    )
    op.create_table(
        "qualities_held",
        sa.Column("person_nrn", sa.String(11), nullable=False),
        sa.Column("enterprise_number", sa.String(10), nullable=False),
        sa.Column("quality_id", sa.String(64), nullable=False),
        sa.Column("granted_at", UTC_TIME, nullable=False),
        sa.Column("granted_by_nrn", sa.String(11), nullable=True),
        sa.PrimaryKeyConstraint("person_nrn", "enterprise_number", "quality_id", name="pk_qualities_held"),
        sa.ForeignKeyConstraint(["person_nrn"], ["persons.nrn"], name="fk_qualities_held_person_nrn_persons"),
        sa.ForeignKeyConstraint(["enterprise_number"], ["entities.enterprise_number"],
                                name="fk_qualities_held_enterprise_number_entities"),
        sa.ForeignKeyConstraint(["granted_by_nrn"], ["persons.nrn"],
                                name="fk_qualities_held_granted_by_nrn_persons"),
    )
    op.create_table(
        "application_roles",
        sa.Column("person_nrn", sa.String(11), nullable=False),
        sa.Column("enterprise_number", sa.String(10), nullable=False),
        sa.Column("application", sa.String(64), nullable=False),
        sa.Column("role", sa.String(64), nullable=False),
        sa.Column("granted_at", UTC_TIME, nullable=False),
        sa.Column("granted_by_nrn", sa.String(11), nullable=True),
        sa.PrimaryKeyConstraint("person_nrn", "enterprise_number", "application", "role",
                                name="pk_application_roles"),
        sa.ForeignKeyConstraint(["person_nrn"], ["persons.nrn"], name="fk_application_roles_person_nrn_persons"),
        sa.ForeignKeyConstraint(["enterprise_number"], ["entities.enterprise_number"],
                                name="fk_application_roles_enterprise_number_entities"),
        sa.ForeignKeyConstraint(["granted_by_nrn"], ["persons.nrn"],
                                name="fk_application_roles_granted_by_nrn_persons"),
    )
    op.create_table(
        "agents",
        sa.Column("enterprise_number", sa.String(10), nullable=False),
        sa.Column("person_nrn", sa.String(11), nullable=False),
        sa.Column("registered_at", UTC_TIME, nullable=False),
        sa.Column("profiles_changed_at", UTC_TIME, nullable=True),
        sa.PrimaryKeyConstraint("enterprise_number", "person_nrn", name="pk_agents"),
        sa.ForeignKeyConstraint(["enterprise_number"], ["entities.enterprise_number"],
                                name="fk_agents_enterprise_number_entities"),
        sa.ForeignKeyConstraint(["person_nrn"], ["persons.nrn"], name="fk_agents_person_nrn_persons"),
    )
    profiles = op.create_table(
        "profiles",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("display_order", sa.Integer(), nullable=False),
        *(sa.Column(f"label_{lang}", sa.String(200), nullable=False) for lang in ("fr", "nl", "de", "en")),
        *(sa.Column(f"description_{lang}", sa.String(500), nullable=False) for lang in ("fr", "nl", "de", "en")),
        sa.PrimaryKeyConstraint("code", name="pk_profiles"),
        sa.UniqueConstraint("display_order", name="uq_profiles_display_order"),
    )
    op.create_table(
        "profile_assignments",
        sa.Column("enterprise_number", sa.String(10), nullable=False),
        sa.Column("agent_nrn", sa.String(11), nullable=False),
        sa.Column("profile_code", sa.String(64), nullable=False),
        sa.Column("assigned_by_nrn", sa.String(11), nullable=False),
        sa.Column("assigned_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("enterprise_number", "agent_nrn", "profile_code", name="pk_profile_assignments"),
        sa.ForeignKeyConstraint(["enterprise_number", "agent_nrn"], ["agents.enterprise_number", "agents.person_nrn"],
                                name="fk_profile_assignments_agent"),
        sa.ForeignKeyConstraint(["profile_code"], ["profiles.code"],
                                name="fk_profile_assignments_profile_code_profiles"),
        sa.ForeignKeyConstraint(["assigned_by_nrn"], ["persons.nrn"],
                                name="fk_profile_assignments_assigned_by_nrn_persons"),
    )
    op.create_table(
        "profile_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("enterprise_number", sa.String(10), nullable=False),
        sa.Column("agent_nrn", sa.String(11), nullable=False),
        sa.Column("profile_code", sa.String(64), nullable=False),
        sa.Column("change", sa.String(16), nullable=False),
        sa.Column("changed_by_nrn", sa.String(11), nullable=False),
        sa.Column("changed_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_profile_changes"),
        sa.ForeignKeyConstraint(["enterprise_number", "agent_nrn"], ["agents.enterprise_number", "agents.person_nrn"],
                                name="fk_profile_changes_agent"),
        sa.ForeignKeyConstraint(["profile_code"], ["profiles.code"], name="fk_profile_changes_profile_code_profiles"),
        sa.ForeignKeyConstraint(["changed_by_nrn"], ["persons.nrn"], name="fk_profile_changes_changed_by_nrn_persons"),
        sa.CheckConstraint("change IN ('assigned', 'withdrawn')", name="ck_profile_changes_change"),
    )
    op.create_index("ix_profile_changes_agent", "profile_changes", ["enterprise_number", "agent_nrn", "changed_at"])
    op.bulk_insert(profiles, PROFILES)


def downgrade() -> None:
    for table in ("profile_changes", "profile_assignments", "profiles", "agents", "application_roles",
                  "qualities_held", "entities", "persons"):
        op.drop_table(table)
