"""Which symptoms a region offers and which muscles lie in it come from the data files, validated."""

import shutil

import pytest

from bodymap.knowledge import KnowledgeError, load_from, muscles_in, symptoms_for
from bodymap.knowledge.loader import DATA_DIR

WHERE = "symptoms.toml: symptom 'clenching': field 'regions':"


def ids(symptoms):
    return {s["id"] for s in symptoms}


def test_it_offers_jaw_clenching_for_the_jaw_and_not_for_the_foot():
    assert "clenching" in ids(symptoms_for("jaw"))
    assert "clenching" not in ids(symptoms_for("foot"))
    assert "headache" not in ids(symptoms_for("low_back"))
    # Symptoms without a region list apply everywhere.
    assert {"ache", "numbness", "worse_sitting"} <= ids(symptoms_for("foot"))


def test_it_places_each_muscle_in_the_regions_its_relations_work():
    assert muscles_in("gluteal") == ["gluteus_maximus", "gluteus_medius", "gluteus_minimus", "piriformis"]
    assert "masseter" in muscles_in("jaw") and "masseter" not in muscles_in("gluteal")
    assert muscles_in("foot") == []


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        ('regions = ["jaw", "toe"]', f"{WHERE} unknown region 'toe'"),
        ("regions = []", f"{WHERE} must not be empty"),
    ],
)
def test_it_names_a_bad_region_list_on_load(tmp_path, replacement, message):
    data = shutil.copytree(DATA_DIR, tmp_path / "data")
    path = data / "symptoms.toml"
    text = path.read_text(encoding="utf-8")
    old = 'regions = ["jaw", "face", "scalp", "neck"]'
    path.write_text(text.replace(old, replacement, 1), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_from(data)
    assert str(caught.value) == message
