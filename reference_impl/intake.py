"""Who takes in a Call-centre appeal: part 2 of point 18."""

from __future__ import annotations

from kzappeals.reference_impl.given import NOTHING, Given
from kzappeals.spec.vocabulary import Case, Channel, Intake

# Enum members the conditions below compare with, bound once: looking a member up on its class
# costs more than the comparison itself. Each name is its member.
CALL_CENTRE_CONFORMING = Channel.call_centre_conforming


_P18_CH2 = (Given("intake", Intake.appeals_staff, "p18.ch2", ("p18.ch2",)),)


def point_18_part_2_call_centre(case: Case) -> tuple[Given, ...]:
    """p18.ch2: "Обращения, поступившие на Cаll-центр Генеральной прокуратуры и соответствующие
    требованиям его Регламента, незамедлительно регистрируются в ЕИАС и передаются на рассмотрение
    в Департамент ..., в нижестоящих прокуратурах - сотрудникам, на которых возложена эта работа."

    Whether the appeal meets the Regulation is a fact of the case (shared reading
    ``call-centre-regulation-is-input``).
    """
    return _P18_CH2 if case.channel is CALL_CENTRE_CONFORMING else NOTHING


PROVISIONS = (point_18_part_2_call_centre,)
