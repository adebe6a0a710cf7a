import math

import pytest

from alongside.plans.gas import RHO, t_score


def test_it_is_fifty_when_every_goal_reaches_its_expected_outcome():
    assert t_score([(0, 1), (0, 2), (0, 3)]) == 50


def test_it_says_nothing_without_a_rating():
    assert t_score([]) is None


def test_it_follows_kiresuk_and_sherman_with_equal_weights():
    # Three goals at +1, +1, -1, weights 1, rho 0.3:
    # 50 + 10 * 1 / sqrt(0.7 * 3 + 0.3 * 9) = 50 + 10 / sqrt(4.8)
    assert t_score([(1, 1), (1, 1), (-1, 1)]) == pytest.approx(50 + 10 / math.sqrt(4.8))
    assert RHO == 0.3


def test_it_weighs_goals_by_their_weights():
    # 10 * (2*2 + 1*-1) / sqrt(0.7 * (4 + 1) + 0.3 * 9) = 30 / sqrt(6.2)
    assert t_score([(2, 2), (-1, 1)]) == pytest.approx(50 + 30 / math.sqrt(6.2))


def test_one_goal_much_better_than_expected_is_seventy():
    assert t_score([(2, 1)]) == pytest.approx(70)


def test_it_refuses_a_level_outside_minus_two_to_plus_two():
    with pytest.raises(ValueError, match="A GAS level is -2 to \\+2, not 3"):
        t_score([(3, 1)])


def test_it_refuses_a_weight_below_one():
    with pytest.raises(ValueError, match="weight is at least 1, not 0"):
        t_score([(1, 0)])
