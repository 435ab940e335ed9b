"""The total of a settlement list in words (`vietnamese.money_in_words`), against readings
written by hand. Conventions (docs/PAPERS.md): "linh" (not "lẻ") for a zero tens digit, "mười"
for 10-19, "mốt" for a 1 after "mươi" (21) but "một" after "mười" (11), "lăm" for a 5 after
"mười"/"mươi", "bốn" (not "tư") after "mươi", "nghìn" (not "ngàn"), "tỷ"; an inner group is
read in full ("không trăm linh năm"); "chẵn" after an amount in round thousands."""

import pytest

from app.vietnamese import money_in_words, number_in_words


@pytest.mark.parametrize(("n", "words"), [
    (0, "không"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (15, "mười lăm"),
    (21, "hai mươi mốt"),
    (24, "hai mươi bốn"),
    (25, "hai mươi lăm"),
    (105, "một trăm linh năm"),
    (111, "một trăm mười một"),
    (1_000_000, "một triệu"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (1_200_000, "một triệu hai trăm nghìn"),
    (2_050_000_000, "hai tỷ không trăm năm mươi triệu"),
    (1_000_000_005, "một tỷ không trăm linh năm"),
    (3_001_021_000, "ba tỷ không trăm linh một triệu không trăm hai mươi mốt nghìn"),
    (15_000_000_000, "mười lăm tỷ"),
])
def test_readings(n, words):
    assert number_in_words(n) == words


@pytest.mark.parametrize(("n", "words"), [
    (0, "Không đồng"),
    (5, "Năm đồng"),
    (105, "Một trăm linh năm đồng"),
    (1_200_000, "Một triệu hai trăm nghìn đồng chẵn"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng chẵn"),
    (1_200_500, "Một triệu hai trăm nghìn năm trăm đồng"),
    (2_050_000_000, "Hai tỷ không trăm năm mươi triệu đồng chẵn"),
])
def test_totals_of_a_settlement_list(n, words):
    assert money_in_words(n, whole=True) == words
