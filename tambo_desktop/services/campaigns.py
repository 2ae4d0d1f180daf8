"""Campañas de difusión: how the tambo announces one or more interventions to its communities —
channels, start date (14 days before by default), a checklist with who did what and when, the
reminders of the Today page, the people reached against those expected, and the documents the
campaign produced (flyers, letters to leaders, radio script), which it can produce again.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from tambo_desktop import dates, phrases
from tambo_desktop.db.models import (
    Campaign,
    CampaignCommunity,
    CampaignDocument,
    CampaignIntervention,
    CampaignTask,
    Community,
    Entity,
    EntityLogo,
    Intervention,
    Service,
    Tambo,
)
from tambo_desktop.db.sql import tuples
from tambo_desktop.documents import photos
from tambo_desktop.documents.flyers import EntityMark, FlyerContent, FlyerEvent, FlyerResult
from tambo_desktop.errors import FieldError, NotFound, ValidationError
from tambo_desktop.i18n import N_, _, local_time
from tambo_desktop.services.interventions import InterventionRow, InterventionService
from tambo_desktop.services.session import Session
from tambo_desktop.text import clean
from tambo_desktop.vocabulary import BRING_ITEMS, CAMPAIGN_CHANNELS, CAMPAIGN_LANGUAGES, CAMPAIGN_LAYOUTS

LEAD_DAYS = 14  # a campaign starts this many days before its first intervention
REMINDER_DAYS = (14, 7)
#: The checklist a new campaign starts with: always, then one line per channel chosen.
FIRST_TASK = N_("Confirmar la fecha y los servicios con la entidad")
CHANNEL_TASKS = {
    "radio": N_("Entregar el guion a la radio local"),
    "tv": N_("Coordinar el anuncio en la televisión local"),
    "loudspeaker": N_("Anunciar por altoparlante en las comunidades"),
    "leaders": N_("Entregar los oficios a los dirigentes"),
    "flyers": N_("Imprimir y repartir los volantes"),
    "posters": N_("Pegar los afiches en lugares concurridos"),
}
DOCUMENT_KINDS = {
    "flyer": N_("Volante"),
    "letters": N_("Oficios a los dirigentes"),
    "delivery": N_("Lista de entrega de oficios"),
    "radio": N_("Guion de radio"),
}


@dataclass
class CampaignForm:
    title_es: str = ""
    title_local: str = ""
    message_es: str = ""
    message_local: str = ""
    local_language: str = "qu"
    layout: str = "side"
    channels: list[str] = field(default_factory=list)
    bring: list[str] = field(default_factory=lambda: ["dni"])
    starts_on: dt.date | None = None  # None: 14 days before the first intervention
    intervention_ids: list[int] = field(default_factory=list)
    community_ids: list[int] = field(default_factory=list)  # empty: the interventions' communities
    notes: str = ""
    version: int | None = None  # the version the form was read with (None: new, or no check)
    on_top: bool = False  # the user saw another user's save and applies theirs on top


@dataclass(frozen=True)
class CampaignRow:
    id: int
    title: str
    starts_on: dt.date
    first_day: dt.date | None  # of its interventions
    interventions: int
    tasks_done: int
    tasks: int
    uuid: str = ""

    @property
    def progress(self) -> str:
        return f"{self.tasks_done}/{self.tasks}"


@dataclass(frozen=True)
class TaskRow:
    id: int
    title: str
    done_at: dt.datetime | None
    done_by: str


@dataclass(frozen=True)
class DocumentRow:
    id: int
    kind: str
    options: dict
    pages: int
    at: dt.datetime  # local time
    username: str


@dataclass(frozen=True)
class CampaignDetail:
    id: int
    title_es: str
    title_local: str
    message_es: str
    message_local: str
    local_language: str
    layout: str
    channels: tuple[str, ...]
    bring: tuple[str, ...]
    starts_on: dt.date
    notes: str
    has_photo: bool
    interventions: tuple[InterventionRow, ...]
    community_ids: tuple[int, ...]
    community_names: tuple[str, ...]
    version: int = 1

    def form(self) -> CampaignForm:
        return CampaignForm(self.title_es, self.title_local, self.message_es, self.message_local, self.local_language,
                            self.layout, list(self.channels), list(self.bring), self.starts_on,
                            [i.id for i in self.interventions], list(self.community_ids), self.notes,
                            version=self.version)  # fmt: skip


@dataclass(frozen=True)
class Reminder:
    day: dt.date  # of the intervention
    days_left: int
    title: str
    campaign_id: int | None  # None: an intervention nobody announces yet
    intervention_id: int | None
    open_tasks: int


@dataclass(frozen=True)
class ReachRow:
    intervention: InterventionRow
    expected: int | None
    attentions: int
    users: int


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c for c in text.split(",") if c)


class CampaignService:
    """Campaigns, their checklist and documents (``campaigns.view`` / ``campaigns.edit``)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.interventions = InterventionService(session)

    # -- reading ----------------------------------------------------------------------------

    def list(self, text: str = "") -> builtins.list[CampaignRow]:
        """Every campaign, the newest first; ``text`` matches the titles."""
        self.session.require("campaigns.view")
        first = {campaign_id: starts_at for campaign_id, starts_at in tuples(CampaignIntervention.select(
            CampaignIntervention.campaign, Intervention.starts_at).join(Intervention)
            .order_by(Intervention.starts_at.desc()))}  # fmt: skip
        counts: dict[int, int] = {}
        for link in CampaignIntervention.select(CampaignIntervention.campaign):
            counts[link.campaign_id] = counts.get(link.campaign_id, 0) + 1
        tasks: dict[int, builtins.list[int]] = {}
        for task in CampaignTask.select(CampaignTask.campaign, CampaignTask.done_at):
            done_total = tasks.setdefault(task.campaign_id, [0, 0])
            done_total[0] += task.done_at is not None
            done_total[1] += 1
        needle = clean(text).casefold()
        rows = []
        for c in Campaign.select().order_by(Campaign.starts_on.desc(), Campaign.id.desc()):
            if needle and needle not in f"{c.title_es} {c.title_local}".casefold():
                continue
            day = first.get(c.id)
            done, total = tasks.get(c.id, [0, 0])
            rows.append(CampaignRow(c.id, c.title_es, c.starts_on, day.date() if day else None, counts.get(c.id, 0),
                                    done, total, c.uuid))  # fmt: skip
        return rows

    def find_id(self, key: int | str) -> int | None:
        """The id of the campaign whose id (a number) or uuid (text) is ``key``, or None."""
        self.session.require("campaigns.view")
        match = Campaign.uuid == key if isinstance(key, str) else Campaign.id == key
        found = Campaign.select(Campaign.id).where(match).first()
        return found.id if found else None

    def _campaign(self, campaign_id: int) -> Campaign:
        campaign = Campaign.get_or_none(Campaign.id == campaign_id)
        if campaign is None:
            raise NotFound(_("La campaña ya no existe."))
        return campaign

    def get(self, campaign_id: int) -> CampaignDetail:
        self.session.require("campaigns.view")
        c = self._campaign(campaign_id)
        ids = [link.intervention_id for link in c.intervention_links]
        rows = sorted(self.interventions._rows(list(Intervention.select().where(Intervention.id.in_(ids)))),
                      key=lambda r: r.starts_at) if ids else []  # fmt: skip
        communities = list(Community.select(Community.id, Community.name).join(CampaignCommunity)
                           .where(CampaignCommunity.campaign == c.id).order_by(Community.name))  # fmt: skip
        return CampaignDetail(
            c.id, c.title_es, c.title_local, c.message_es, c.message_local, c.local_language, c.layout,
            _codes(c.channels), _codes(c.bring), c.starts_on, c.notes, c.photo is not None, tuple(rows),
            tuple(x.id for x in communities), tuple(x.name for x in communities), c.version,
        )  # fmt: skip

    def for_intervention(self, intervention_id: int) -> int | None:
        """The newest campaign that announces the intervention."""
        self.session.require("campaigns.view")
        link = (CampaignIntervention.select().where(CampaignIntervention.intervention == intervention_id)
                .order_by(CampaignIntervention.campaign.desc()).first())  # fmt: skip
        return link.campaign_id if link else None

    def upcoming_interventions(self, today: dt.date | None = None, days: int = 120) -> builtins.list[InterventionRow]:
        """Interventions from today on that a campaign could announce (not suspended)."""
        from tambo_desktop.services.interventions import InterventionFilter

        self.session.require("campaigns.view")
        today = today or dates.today()
        rows = self.interventions.list(InterventionFilter(today, today + dt.timedelta(days=days)))
        return [r for r in rows if r.status in ("requested", "programmed", "rescheduled")]

    # -- writing ----------------------------------------------------------------------------

    def _parse(self, form: CampaignForm) -> tuple[dict, builtins.list[int], builtins.list[int]]:
        errors = []
        title = clean(form.title_es)
        if not title:
            errors.append(FieldError("title_es", _("Escriba el título en castellano.")))
        for name, value in (("title_es", title), ("title_local", clean(form.title_local))):
            if len(value) > 120:
                errors.append(FieldError(name, _("El título es demasiado largo (120 caracteres como máximo).")))
        # quechua or aimara; a language whose printed phrases a translator added; '' for Spanish only
        if (
            form.local_language not in CAMPAIGN_LANGUAGES
            and form.local_language
            and not phrases.has_phrases(form.local_language)
        ):
            errors.append(FieldError("local_language", _("Elija quechua o aimara.")))
        if form.layout not in CAMPAIGN_LAYOUTS:
            errors.append(FieldError("layout", _("Elija cómo van los dos idiomas.")))
        channels = [c for c in form.channels if c in CAMPAIGN_CHANNELS]
        bring = [b for b in form.bring if b in BRING_ITEMS]
        ids = list(dict.fromkeys(form.intervention_ids))
        records = list(Intervention.select().where(Intervention.id.in_(ids))) if ids else []
        if not records:
            errors.append(FieldError("interventions", _("Elija al menos una intervención que anunciar.")))
        elif len(records) != len(ids):
            errors.append(FieldError("interventions", _("Una de las intervenciones ya no existe.")))
        elif any(r.status == "suspended" for r in records):
            errors.append(FieldError("interventions", _("Una intervención suspendida no se anuncia.")))
        community_ids = list(dict.fromkeys(form.community_ids)) or list(
            dict.fromkeys(r.community_id for r in records if r.community_id)
        )
        if not community_ids:
            errors.append(FieldError("communities", _("Elija los centros poblados a los que va dirigida.")))
        elif Community.select().where(Community.id.in_(community_ids)).count() != len(community_ids):
            errors.append(FieldError("communities", _("Uno de los centros poblados ya no existe.")))
        first = min((r.starts_at.date() for r in records), default=None)
        starts_on = form.starts_on or (first - dt.timedelta(days=LEAD_DAYS) if first else None)
        if first and starts_on and starts_on > first:
            errors.append(FieldError("starts_on", _("La campaña debe empezar antes de la intervención.")))
        if errors:
            raise ValidationError(errors)
        values = {
            "title_es": title, "title_local": clean(form.title_local), "message_es": form.message_es.strip(),
            "message_local": form.message_local.strip(), "local_language": form.local_language,
            "layout": form.layout, "channels": ",".join(channels), "bring": ",".join(bring),
            "starts_on": starts_on, "notes": form.notes.strip(),
        }  # fmt: skip
        return values, ids, community_ids

    def save(self, form: CampaignForm, campaign_id: int | None = None) -> int:
        """Create or change a campaign (a new one gets its checklist from the channels)."""
        self.session.require("campaigns.edit")
        values, ids, community_ids = self._parse(form)
        with self.session.write():
            campaign = Campaign() if campaign_id is None else self._campaign(campaign_id)
            old_channels = set(_codes(campaign.channels or ""))
            for key, value in values.items():
                setattr(campaign, key, value)
            self.session.save(campaign, summary=campaign.title_es, version=form.version, on_top=form.on_top)
            CampaignIntervention.delete().where(CampaignIntervention.campaign == campaign.id).execute()  # type: ignore[misc, unused-ignore]  # Model.delete: builds of types-peewee differ
            CampaignIntervention.insert_many([(campaign.id, i) for i in ids],
                                             fields=[CampaignIntervention.campaign, CampaignIntervention.intervention]).execute()  # fmt: skip
            CampaignCommunity.delete().where(CampaignCommunity.campaign == campaign.id).execute()  # type: ignore[misc, unused-ignore]  # Model.delete: builds of types-peewee differ
            CampaignCommunity.insert_many([(campaign.id, i) for i in community_ids],
                                          fields=[CampaignCommunity.campaign, CampaignCommunity.community]).execute()  # fmt: skip
            titles = [FIRST_TASK] if campaign_id is None else []
            titles += [CHANNEL_TASKS[c] for c in _codes(values["channels"]) if c not in old_channels]
            for title in titles:
                self._add_task(campaign.id, _(title))
            return campaign.id

    def delete(self, campaign_id: int) -> None:
        self.session.require("campaigns.edit")
        with self.session.write():
            campaign = self._campaign(campaign_id)
            for task in campaign.tasks:
                self.session.delete(task, summary=task.title)
            for record in list(campaign.documents) + list(campaign.letters):
                self.session.delete(record, summary=campaign.title_es)
            self.session.delete(campaign, summary=campaign.title_es)

    def set_photo(self, campaign_id: int, source: Path | bytes | None) -> None:
        """Keep the photo for the flyers (upright and downscaled), or remove it (None)."""
        self.session.require("campaigns.edit")
        data = photos.stored(source) if source is not None else None
        with self.session.write():
            campaign = self._campaign(campaign_id)
            campaign.photo = data
            self.session.save(campaign, summary=campaign.title_es)

    def photo(self, campaign_id: int) -> bytes | None:
        self.session.require("campaigns.view")
        data = self._campaign(campaign_id).photo
        return bytes(data) if data is not None else None

    # -- checklist --------------------------------------------------------------------------

    def tasks(self, campaign_id: int) -> builtins.list[TaskRow]:
        self.session.require("campaigns.view")
        query = CampaignTask.select().where(CampaignTask.campaign == campaign_id)
        return [
            TaskRow(t.id, t.title, t.done_at, t.done_by) for t in query.order_by(CampaignTask.position, CampaignTask.id)
        ]

    def _add_task(self, campaign_id: int, title: str) -> int:
        last = CampaignTask.select(CampaignTask.position).where(CampaignTask.campaign == campaign_id) \
            .order_by(CampaignTask.position.desc()).first()  # fmt: skip
        task = CampaignTask(campaign=campaign_id, position=(last.position + 1) if last else 1, title=title)
        self.session.save(task, summary=title)
        return task.id

    def add_task(self, campaign_id: int, title: str) -> int:
        self.session.require("campaigns.edit")
        title = clean(title)
        if not title:
            raise ValidationError(FieldError("task", _("Escriba la tarea.")))
        if len(title) > 200:
            raise ValidationError(FieldError("task", _("La tarea es demasiado larga (200 caracteres como máximo).")))
        with self.session.write():
            self._campaign(campaign_id)
            return self._add_task(campaign_id, title)

    def tick(self, task_id: int, done: bool, at: dt.datetime | None = None) -> None:
        """Mark a task done (by this user, now) or not done."""
        self.session.require("campaigns.edit")
        with self.session.write():
            task = CampaignTask.get_or_none(CampaignTask.id == task_id)
            if task is None:
                raise NotFound(_("La tarea ya no existe."))
            if done and task.done_at is None:
                task.done_at = (at or dates.now()).replace(microsecond=0)
                task.done_by = self.session.user.full_name
            elif not done:
                task.done_at, task.done_by = None, ""
            self.session.save(task, summary=task.title)

    def remove_task(self, task_id: int) -> None:
        self.session.require("campaigns.edit")
        with self.session.write():
            task = CampaignTask.get_or_none(CampaignTask.id == task_id)
            if task is None:
                raise NotFound(_("La tarea ya no existe."))
            self.session.delete(task, summary=task.title)

    # -- Today page and results -------------------------------------------------------------

    def reminders(self, today: dt.date | None = None) -> builtins.list[Reminder]:
        """Campaigns whose intervention is 14 or fewer days away with tasks still open, and
        interventions that close and no campaign announces yet."""
        self.session.require("campaigns.view")
        today = today or dates.today()
        horizon = dt.datetime.combine(today + dt.timedelta(days=REMINDER_DAYS[0] + 1), dt.time.min)
        query = (Intervention.select().where((Intervention.starts_at >= dt.datetime.combine(today, dt.time.min))
                 & (Intervention.starts_at < horizon) & Intervention.status.in_(["requested", "programmed", "rescheduled"]))
                 .order_by(Intervention.starts_at))  # fmt: skip
        upcoming = list(query)
        links: dict[int, builtins.list[int]] = {}
        for link in CampaignIntervention.select().where(
            CampaignIntervention.intervention.in_([i.id for i in upcoming])
        ):
            links.setdefault(link.intervention_id, []).append(link.campaign_id)
        open_tasks: dict[int, int] = {}
        for task in CampaignTask.select(CampaignTask.campaign).where(CampaignTask.done_at.is_null()):
            open_tasks[task.campaign_id] = open_tasks.get(task.campaign_id, 0) + 1
        reminders, seen = [], set()
        for i in upcoming:
            day = i.starts_at.date()
            left = (day - today).days
            if i.id not in links:
                if i.place == "outside" or i.entity_id:  # the tambo's own meetings need no campaign
                    reminders.append(Reminder(day, left, i.title, None, i.id, 0))
                continue
            for campaign_id in links[i.id]:
                if campaign_id in seen or not open_tasks.get(campaign_id):
                    continue
                seen.add(campaign_id)
                campaign = Campaign.get_by_id(campaign_id)
                reminders.append(Reminder(day, left, campaign.title_es, campaign_id, i.id, open_tasks[campaign_id]))
        return reminders

    def reach(self, campaign_id: int) -> builtins.list[ReachRow]:
        """People reached by each intervention (its atenciones) against those expected."""
        detail = self.get(campaign_id)
        results = self.interventions.results([i.uuid for i in detail.interventions])
        return [ReachRow(i, i.expected_participants, *results.get(i.uuid, (0, 0))) for i in detail.interventions]

    # -- documents --------------------------------------------------------------------------

    def documents(self, campaign_id: int) -> builtins.list[DocumentRow]:
        self.session.require("campaigns.view")
        query = CampaignDocument.select().where(CampaignDocument.campaign == campaign_id)
        return [DocumentRow(d.id, d.kind, json.loads(d.options or "{}"), d.pages, local_time(d.created_at), d.created_by)
                for d in query.order_by(CampaignDocument.created_at.desc(), CampaignDocument.id.desc())]  # fmt: skip

    def record_document(self, campaign_id: int, kind: str, options: dict, pages: int) -> None:
        """Remember a document the campaign produced, with how to produce it again."""
        self.session.require("campaigns.edit")
        with self.session.write():
            self._campaign(campaign_id)
            record = CampaignDocument(campaign=campaign_id, kind=kind, options=json.dumps(options, sort_keys=True),
                                      pages=pages)  # fmt: skip
            self.session.save(record, summary=_(DOCUMENT_KINDS.get(kind, kind)))

    def export_flyer_pdf(
        self, campaign_id: int, template: str, languages: builtins.list[str], path: Path, grey: bool = True
    ) -> FlyerResult:
        """Make the campaign's flyer and remember it among its documents."""
        from tambo_desktop.documents import flyers

        self.session.require("campaigns.edit")
        content = self.flyer_content(campaign_id)
        languages = flyers.check_languages(languages, content.local_language)
        result = flyers.render(content, template, languages, path, grey)
        self.record_document(campaign_id, "flyer", {"template": template, "languages": languages, "grey": grey},
                             result.pages)  # fmt: skip
        return result

    def flyer_content(self, campaign_id: int) -> FlyerContent:
        detail = self.get(campaign_id)
        content = content_for(detail.interventions)
        content.title_es, content.title_local = detail.title_es, detail.title_local
        content.message_es, content.message_local = detail.message_es, detail.message_local
        content.local_language, content.layout, content.bring = detail.local_language, detail.layout, detail.bring
        content.photo = self.photo(campaign_id)
        return content


def content_for(rows: tuple[InterventionRow, ...] | list[InterventionRow]) -> FlyerContent:
    """A flyer's content made from interventions alone (their title, place, entity, services)."""
    from tambo_desktop.services.schedule import event_text

    tambo = Tambo.select().first()
    tambo_name = tambo.name if tambo else ""
    categories = {s.id: (s.name, s.category) for s in Service.select(Service.id, Service.name, Service.category)}
    events, marks = [], {}
    for row in rows:
        where = row.community_name if row.place == "outside" else (row.space_name or tambo_name)
        if row.place != "outside" and row.space_name:
            where = f"{row.space_name}, {tambo_name}"
        services = tuple(categories[i] for i in row.service_ids if i in categories)
        events.append(FlyerEvent(row.starts_at, row.ends_at, where, row.entity_code or tambo_name, services))
        if row.entity_id and row.entity_id not in marks:
            entity = Entity.get_by_id(row.entity_id)
            logo = EntityLogo.get_or_none(EntityLogo.entity == row.entity_id)
            marks[row.entity_id] = EntityMark(entity.code, entity.name, bytes(logo.data) if logo else None)
    title = rows[0].title if len(rows) == 1 else ", ".join(dict.fromkeys(r.entity_label for r in rows))
    return FlyerContent(tambo_name, title, events=events, entities=list(marks.values()),
                        qr_text=event_text(list(rows), tambo_name))  # fmt: skip
