"""geo.district: packaged kecamatan centres, Voronoi areas, point location, GeoJSON areas."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.district import (
    Kecamatan,
    available_districts,
    district_outline,
    kecamatan_polygons,
    load_kecamatan_centres,
    locate,
    locate_index,
    region_polygons,
    write_areas,
)


@pytest.fixture(scope="module")
def centres():
    return load_kecamatan_centres("banyumas")


@pytest.fixture(scope="module")
def areas(centres):
    return kecamatan_polygons(centres)


def area_km2(frame: gpd.GeoDataFrame) -> np.ndarray:
    return frame.to_crs(32749).area.to_numpy() / 1e6


def test_banyumas_centres_are_packaged(centres):
    """The package ships Banyumas' 27 kecamatan with distinct names, positive populations and
    centres inside the district's bounding box."""
    assert "banyumas" in available_districts()
    assert len(centres) == 27
    assert len({k.name for k in centres}) == 27
    assert all(isinstance(k, Kecamatan) and k.population > 0 for k in centres)
    assert all(-7.7 < k.lat < -7.2 and 108.9 < k.lon < 109.5 for k in centres)
    assert 1.5e6 < sum(k.population for k in centres) < 2.0e6


def test_unknown_district_is_refused():
    """An unknown or malformed district name is a ValueError that lists what exists."""
    with pytest.raises(ValueError, match="available: banyumas"):
        load_kecamatan_centres("atlantis")
    with pytest.raises(ValueError, match="lower-case name"):
        load_kecamatan_centres("../pyproject")


def test_polygons_partition_the_district(areas, centres):
    """27 valid polygons, one per centre in input order, in EPSG:4326, that do not overlap and
    together cover about Banyumas' size (900-2,000 km2; the real district is 1,328 km2)."""
    assert list(areas.columns) == ["kecamatan", "population", "geometry"]
    assert areas.crs.to_epsg() == 4326
    assert areas["kecamatan"].tolist() == [k.name for k in centres]
    assert areas["population"].tolist() == [k.population for k in centres]
    assert areas.is_valid.all() and not areas.is_empty.any()
    sizes = area_km2(areas)
    union = shapely.union_all(areas.to_crs(32749).geometry.to_numpy()).area / 1e6
    assert union == pytest.approx(sizes.sum(), rel=1e-9)  # no overlaps
    assert 900 < sizes.sum() < 2000
    assert sizes.min() > 1  # no sliver cells


def test_each_centre_lies_in_its_own_polygon(areas, centres):
    """Every kecamatan centre is inside the polygon that carries its name."""
    lons = [k.lon for k in centres]
    lats = [k.lat for k in centres]
    assert locate(lons, lats, areas).tolist() == [k.name for k in centres]
    assert shapely.contains_xy(areas.geometry.to_numpy(), lons, lats).all()


def test_default_outline_is_smooth_buffer_of_hull(centres, areas):
    """The default outline is the hull of the centres plus a round buffer, and the polygons
    fill it exactly."""
    outline = district_outline(centres)
    union = shapely.union_all(areas.geometry.to_numpy())
    assert shapely.symmetric_difference(union, outline).area < 1e-7 * outline.area
    hull = shapely.convex_hull(shapely.multipoints([(k.lon, k.lat) for k in centres]))
    assert outline.contains(hull)


def test_a_given_outline_clips_the_cells(centres):
    """With an explicit outline, the partition fills that outline and nothing beyond."""
    box = shapely.box(108.9, -7.7, 109.5, -7.25)
    clipped = kecamatan_polygons(centres, outline=box)
    union = shapely.union_all(clipped.geometry.to_numpy())
    assert shapely.symmetric_difference(union, box).area < 1e-7 * box.area
    assert clipped.is_valid.all()


def test_centres_outside_the_outline_or_duplicated_are_refused(centres):
    """A centre outside the outline, or two centres at one point, is a ValueError naming the
    kecamatan."""
    small = shapely.box(109.2, -7.5, 109.3, -7.4)
    with pytest.raises(ValueError, match="outside the district outline: Lumbir"):
        kecamatan_polygons(centres, outline=small)
    twin = [*centres[:3], Kecamatan("Kembar", centres[0].lat, centres[0].lon, 1)]
    with pytest.raises(ValueError, match="duplicate kecamatan centre"):
        kecamatan_polygons(twin)
    with pytest.raises(ValueError, match="no kecamatan centres"):
        kecamatan_polygons([])


def test_locate_names_points_and_marks_outside(areas):
    """locate returns one name per point, '' for points outside every area; locate_index
    returns positions and -1."""
    lons = np.array([109.24, 109.24, 100.0])
    lats = np.array([-7.40, -7.40, -7.40])
    names = locate(lons, lats, areas)
    assert names.tolist() == ["Purwokerto Utara", "Purwokerto Utara", ""]
    index = locate_index(lons, lats, areas)
    assert index.dtype == np.int64
    assert index.tolist()[2] == -1
    assert areas["kecamatan"].iloc[index[0]] == "Purwokerto Utara"
    assert locate([], [], areas).tolist() == []


def test_a_point_on_a_shared_edge_belongs_to_the_first_area():
    """Ties on a boundary go to the first polygon, so location is deterministic."""
    squares = [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)]
    assert locate_index([1.0, 1.5, 5.0], [0.5, 0.5, 0.5], squares).tolist() == [0, 1, -1]


def test_locate_is_vectorised(areas):
    """Locating 100,000 points is a handful of array operations (well under a second)."""
    rng = np.random.default_rng(0)
    lons = rng.uniform(108.9, 109.5, 100_000)
    lats = rng.uniform(-7.7, -7.2, 100_000)
    index = locate_index(lons, lats, areas)
    inside = shapely.contains_xy(shapely.union_all(areas.geometry.to_numpy()), lons, lats)
    assert np.array_equal(index >= 0, inside)


def test_region_polygons_share_overlaps(centres):
    """Two districts whose outlines overlap are partitioned jointly: no area overlaps another,
    every centre stays in its own area."""
    shifted = [Kecamatan(f"{k.name} (B)", k.lat, k.lon + 0.3, k.population) for k in centres]
    region = region_polygons([centres, shifted])
    assert len(region) == 54 and region.is_valid.all()
    sizes = area_km2(region)
    union = shapely.union_all(region.to_crs(32749).geometry.to_numpy()).area / 1e6
    assert union == pytest.approx(sizes.sum(), rel=1e-9)
    lons = [k.lon for k in [*centres, *shifted]]
    lats = [k.lat for k in [*centres, *shifted]]
    assert np.array_equal(locate_index(lons, lats, region), np.arange(54))


def test_write_areas_is_deterministic_geojson(areas, tmp_path):
    """Areas are written as GeoJSON with 6-decimal coordinates and counter-clockwise exterior
    rings; the same frame gives the same bytes, and GeoPandas reads it back."""
    write_areas(areas, tmp_path / "a.geojson")
    write_areas(areas, tmp_path / "b.geojson")
    data = (tmp_path / "a.geojson").read_bytes()
    assert data == (tmp_path / "b.geojson").read_bytes()
    assert data.endswith(b"\n")
    numbers = re.findall(rb"-?\d+\.(\d+)", data)
    assert numbers and max(len(n) for n in numbers) <= 6
    doc = json.loads(data)
    assert doc["features"][0]["properties"] == {"kecamatan": "Lumbir", "population": 46000}
    back = gpd.read_file(tmp_path / "a.geojson")
    assert back["kecamatan"].tolist() == areas["kecamatan"].tolist()
    assert all(shapely.is_ccw(g.exterior) for g in back.geometry)
    assert back.is_valid.all()


def test_write_areas_reprojects_and_needs_a_crs(areas, tmp_path):
    """A frame in UTM is written in WGS84; a frame without a CRS is refused."""
    write_areas(areas.to_crs(32749), tmp_path / "utm.geojson")
    back = gpd.read_file(tmp_path / "utm.geojson")
    assert back.total_bounds[0] == pytest.approx(areas.total_bounds[0], abs=1e-5)
    with pytest.raises(ValueError, match="no CRS"):
        write_areas(areas.set_crs(None, allow_override=True), tmp_path / "none.geojson")
