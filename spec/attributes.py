"""The attributes of an appeal case: every distinction some clause makes, and the values each takes.

Each field's description names the clause and the law's Russian term. The case is what a vendor's
system sends, what the Z3 model quantifies over and what the reference implementation reads, so its
attributes are defined once, here; the condition language (:mod:`kzappeals.spec.conditions`) tests
them, and :class:`kzappeals.spec.vocabulary.Case` adds that their combination is coherent
(``spec/coherence.toml``). Kept apart from the vocabulary so that the constraints can be parsed
against the attributes before the case that obeys them is defined: no module imports another that
imports it back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


class Kind(StrEnum):
    """Kind of appeal (вид обращения), p2.pp1."""

    proposal = "proposal"  # предложение
    application = "application"  # заявление
    complaint = "complaint"  # жалоба
    request = "request"  # запрос
    response = "response"  # отклик


class Form(StrEnum):
    """Form of appeal (форма обращения), p2.pp1."""

    written = "written"  # письменное
    oral = "oral"  # устное
    electronic = "electronic"  # в форме электронного документа
    videoconference = "videoconference"  # видеоконференцсвязь


class Subject(StrEnum):
    """What the appeal is about, where that decides the procedure (p4, p5, p23.pp4, p53-1)."""

    general = "general"  # a question for the Instruction's own procedure
    crime_report = "crime_report"  # p4: заявление или сообщение об уголовном правонарушении
    criminal_case_complaint = "criminal_case_complaint"  # p4: жалоба на органы, ведущие уголовный процесс (not pre-trial)
    pretrial_complaint = "pretrial_complaint"  # p4, p53-1: жалоба на лиц, осуществляющих досудебное расследование, прокурора
    court_act_criminal = "court_act_criminal"  # p5: судебные акты по уголовным делам
    court_act_parole = "court_act_parole"  # p5: по вопросам условно-досрочного освобождения
    court_act_civil = "court_act_civil"  # p5: по гражданским делам
    court_act_administrative = "court_act_administrative"  # p5: по делам об административных правонарушениях
    appeals_procedure_explanation = "appeals_procedure_explanation"  # p23.pp4: разъяснение порядка рассмотрения обращений


class Sender(StrEnum):
    """Who sent the appeal (p6, p23.pp1.ch1, p54.pp5.a3)."""

    person = "person"  # физическое или юридическое лицо
    deputy = "deputy"  # депутат
    parliament_official = "parliament_official"  # должностное лицо Парламента
    government = "government"  # Правительство
    security_council = "security_council"  # Совет Безопасности
    constitutional_council = "constitutional_council"  # Конституционный Совет
    supreme_court = "supreme_court"  # Верховный Суд
    other_central_body = "other_central_body"  # другие центральные государственные органы
    presidential_administration = "presidential_administration"  # Администрация Президента
    prosecutor_general_office = "prosecutor_general_office"  # Генеральная прокуратура (to a lower body)


class Channel(StrEnum):
    """How the appeal arrived (p18.ch2)."""

    direct = "direct"
    call_centre_conforming = "call_centre_conforming"  # Call-центр, соответствующие требованиям его Регламента
    call_centre_nonconforming = "call_centre_nonconforming"  # Call-центр, не соответствующие Регламенту


class EarlierAnswerBy(StrEnum):
    """Who signed an earlier answer on the same question (p23.pp2, p54.pp5.a2, p54.pp5.a4)."""

    none = "none"
    district_prosecutor = "district_prosecutor"  # прокурор района или приравненный к нему
    regional_prosecutor = "regional_prosecutor"  # прокурор области, приравненный к нему или лицо его замещающее
    deputy_head = "deputy_head"  # заместитель руководителя органа, который теперь отвечает
    other = "other"


class Cassation(StrEnum):
    """A petition for a cassation protest (ходатайство о принесении кассационного протеста), p23.pp3."""

    none = "none"
    criminal = "criminal"  # по уголовным делам
    civil = "civil"  # по гражданским делам


class Competence(StrEnum):
    """Whose question it is by territory or competence (по территориальности либо подведомственности), p23.pp1.ch1."""

    this_body = "this_body"
    lower_prosecutor = "lower_prosecutor"  # нижестоящая прокуратура
    other_body = "other_body"  # другое ведомство


class Body(StrEnum):
    """Where the appeal is received and handled (p19, p23, p26-1, p54)."""

    gpo_department = "gpo_department"  # ГП: Департамент по надзору за применением законов о рассмотрении обращений
    gpo_subdivision = "gpo_subdivision"  # ГП: другое самостоятельное структурное подразделение
    gpo_leadership = "gpo_leadership"  # ГП: руководство (Генеральный Прокурор, заместители)
    agency = "agency"  # ведомство прокуратуры
    institution = "institution"  # учреждение прокуратуры
    regional = "regional"  # прокуратура области и приравненная к ней
    district = "district"  # прокуратура района и приравненная к ней


class ComplaintAbout(StrEnum):
    """Whose decision or action (решения, действия, бездействие) the complaint is about, relative to the body answering it (p54)."""

    none = "none"  # not a complaint about anyone's decision or action
    subordinate_staff = "subordinate_staff"  # подчинённые сотрудники
    deputy_head = "deputy_head"  # заместитель руководителя
    head = "head"  # сам первый руководитель органа (подразделения)
    other = "other"


class Outcome(StrEnum):
    """How the appeal was decided (p54)."""

    granted = "granted"  # удовлетворение
    refused = "refused"  # отказ в удовлетворении
    explained = "explained"  # ответ разъяснительного характера


UnknownProvision = Literal["p20.list", "p54.pp1", "p54.pp2"]
"""Base-text provisions whose conclusion the amended text names but whose
condition is not in the sources: the user asserts that one applies."""

_ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: object) -> object:
    """A date in JSON is a ``YYYY-MM-DD`` string and nothing else: pydantic alone would read
    ``"0"`` or ``"1464739200"`` as seconds since 1970, and ``"2016-06-01T00:00"`` as a date."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE_RE.fullmatch(value):
        raise ValueError("a date is a string YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a day of the calendar") from None


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
"""A calendar day, written ``YYYY-MM-DD`` in JSON."""


def _no_duplicates(value: object) -> object:
    """A set written as a JSON array names each member once: a repeated one is a typo, not an emphasis."""
    if isinstance(value, (list, tuple)):
        if not all(isinstance(v, str) for v in value):
            raise ValueError("its members are strings")
        twice = [v for v, n in Counter(value).items() if n > 1]
        if twice:
            raise ValueError(f"{twice[0][:40]!r} is given twice")
        return frozenset(value)  # the array checked, the set is what strict validation expects
    return value  # not an array: strict validation refuses it with its own message


class CaseAttributes(BaseModel):
    """The attributes of an appeal (обращение, p2.pp1) as the routing and signature rules see them.

    Enumerations are given by their value in JSON (``"complaint"``); booleans
    are JSON booleans; ``received_on`` is an ISO date.
    """

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")

    received_on: IsoDate = Field(
        description="Day of receipt (поступление): in-force window (o165.p4) and the three working days (p23.pp1.ch2)."
    )
    kind: Kind = Field(description="p2.pp1")
    form: Form = Field(description="p2.pp1")
    collective: bool = Field(description="Collective (коллективное) rather than individual, p2.pp1.")
    anonymous: bool = Field(description="Anonymous (анонимное), p15.")
    subject: Subject = Field(description="p4, p5, p23.pp4, p53-1")
    security_threat: bool = Field(
        description="Reports a threat to state or public security (угроза государственной или общественной безопасности), p15."
    )
    sender: Sender = Field(description="p6, p23.pp1.ch1, p54.pp5.a3")
    administration_document: bool = Field(
        description="A document of the Presidential Administration itself (документ Администрации Президента), not an appeal of a person or body that the Administration sends on, p6: read narrowly (reading p6-own-documents), point 6 governs only these."
    )
    deputy_inquiry: bool = Field(description="A deputy's inquiry (депутатский запрос), excluded from p23.pp1.ch1.")
    channel: Channel = Field(description="p18.ch2")
    report_required: bool = Field(
        description="Information on the results must be sent back (требующие направления информаций о результатах рассмотрения), p23.pp1.ch1, p54.pp5.a3."
    )
    repeated: bool = Field(description="Repeated (повторное): same person, same question, p23.pp2.ch1.")
    earlier_answer_by: EarlierAnswerBy = Field(description="p23.pp2, p54.pp5.a2, p54.pp5.a4")
    earlier_answer_attached: bool = Field(description="The earlier answer is attached (приложение ответа), p23.pp2.ch1.")
    earlier_answer_in_eias: bool = Field(description="The earlier answer was found in ЕИАС, p23.pp2.ch3.")
    cassation: Cassation = Field(description="p23.pp3")
    cassation_defective: bool = Field(description="Does not meet arts. 423, 488 УПК or 436, 441 ГПК, p23.pp3.ch1.")
    cassation_term_expired: bool = Field(description="The cassation term has expired (art. 487 УПК, art. 436 part 1 ГПК), p23.pp3.ch3.")
    public_resonance: bool = Field(
        description="About violations of the constitutional rights and freedoms of citizens, with great public resonance (о нарушениях конституционных прав и свобод граждан, имеющие большой общественный резонанс), p23.ch3: its first group."
    )
    interests_at_risk: bool = Field(
        description="On questions affecting the interests of the state, a group of people or individual citizens that may lead to negative consequences (по вопросам, затрагивающим интересы государства, группы людей и отдельных граждан, могущих привести к различным негативным последствиям), p23.ch3: its second group."
    )
    pg_instruction: bool = Field(
        description="An instruction (поручение) of the Prosecutor General or a deputy exists (по которым имеются поручения Генерального Прокурора и его заместителей), p23.ch3: its third group."
    )
    competent: Competence = Field(description="p23.pp1.ch1")
    handled_at: Body = Field(description="p19, p23, p26-1, p54")
    complaint_about: ComplaintAbout = Field(description="p54")
    outcome: Outcome = Field(description="p54")
    unknown_provisions: Annotated[frozenset[UnknownProvision], BeforeValidator(_no_duplicates)] = Field(
        default=frozenset(),
        description="Provisions of the base Instruction not in the sources that the user asserts apply (named opaque conditions): p20.list, p54.pp1, p54.pp2.",
    )
