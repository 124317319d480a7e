#!/usr/bin/python3
"""Independent derivation of the departure alerts expected from a real AIS log.

Used to write tests/data/e2e/*.expected.jsonl, which tests/app/replay_e2e_test.cpp compares with
what `sahil replay` raises. It shares no code with Sahil: decoding is libais (Debian
python3-ais), geodesy is pyproj (python3-pyproj), polygons are shapely (python3-shapely). The rule
is implemented here from its specification (issue text / docs/rules.md):

  a vessel seen inside a harbour zone departs when a later fix is more than BUFFER metres outside
  that zone while SOG >= MIN_SOG knots; unregistered MMSI -> unregistered_departure; registered
  with an expired licence or suspended/decommissioned status -> licence_invalid_departure.

Time of a fix: a trailing 10-digit Unix time after the checksum, else the last $xxZDA time marker
(messages before the first marker take the first marker's time). Fixes older than the vessel's
newest are ignored; positions not available or at 0/0 are ignored.

Usage: scripts/derive_departures.py LOG ZONES.geojson REGISTRY.csv BUFFER_M MIN_SOG_KN > expected.jsonl
"""
import csv
import datetime as dt
import json
import re
import sys

import ais
import pyproj
import shapely.geometry
import shapely.ops

GEOD = pyproj.Geod(ellps="WGS84")


def checksum_ok(sentence):
    body, _, rest = sentence[1:].partition("*")
    if len(rest) < 2:
        return False
    x = 0
    for c in body:
        x ^= ord(c)
    try:
        return x == int(rest[:2], 16)
    except ValueError:
        return False


def load_zones(path):
    zones = []
    for f in json.load(open(path))["features"]:
        lon0, lat0 = f["properties"]["centre_lon"], f["properties"]["centre_lat"]
        proj = pyproj.Transformer.from_crs(
            "EPSG:4326", f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +ellps=WGS84", always_xy=True)
        shape = shapely.geometry.shape(f["geometry"])
        metric = shapely.ops.transform(proj.transform, shape)
        zones.append({"id": f["properties"]["id"], "shape": shape, "metric": metric, "proj": proj})
    return zones


def load_registry(path):
    reg = {}
    for row in csv.DictReader(open(path)):
        if row.get("mmsi"):
            reg[int(row["mmsi"])] = row
    return reg


def main():
    log, zones_path, reg_path, buffer_m, min_sog = sys.argv[1:6]
    buffer_m, min_sog = float(buffer_m), float(min_sog)
    zones = load_zones(zones_path)
    registry = load_registry(reg_path)
    marker = None
    pending = []  # fixes before the first time marker
    fixes = []
    zda = re.compile(r"\$..ZDA,(\d\d)(\d\d)(\d\d)(?:\.(\d+))?,(\d\d),(\d\d),(\d{4})")
    for raw in open(log, encoding="latin-1"):
        line = raw.strip()
        m = zda.search(line)
        if m:
            hh, mi, ss, frac, dd, mo, yy = m.groups()
            ms = int((frac or "0").ljust(3, "0")[:3])
            t = dt.datetime(int(yy), int(mo), int(dd), int(hh), int(mi), int(ss), ms * 1000,
                            tzinfo=dt.timezone.utc)
            marker = t.timestamp()
            for p in pending:
                p["t"] = marker
                fixes.append(p)
            pending = []
            continue
        i = line.find("!")
        if i < 0:
            continue
        s = line[i:]
        if not checksum_ok(s):
            continue
        head, _, tail = s.partition("*")
        f = head.split(",")
        if len(f) != 7 or f[0][3:6] not in ("VDM", "VDO") or f[1] != "1" or not f[5]:
            continue
        try:
            d = ais.decode(f[5], int(f[6] or 0))
        except Exception:
            continue
        if d["id"] not in (1, 2, 3, 18, 19):
            continue
        lat, lon = d["y"], d["x"]
        if abs(lat) > 90 or abs(lon) > 180 or (lat == 0 and lon == 0):
            continue
        trailer = tail[2:].split(",")
        t = None
        if len(trailer) > 1 and re.fullmatch(r"\d{10}", trailer[-1].strip()):
            t = float(trailer[-1].strip())
        sog = None if d["sog"] > 102.25 else round(d["sog"], 1)
        fix = {"mmsi": d["mmsi"], "lat": lat, "lon": lon, "sog": sog, "t": t if t else marker}
        if fix["t"] is None:
            pending.append(fix)
        else:
            fixes.append(fix)
    fixes.extend(pending)

    state = {}
    alerts = []
    for fx in fixes:
        st = state.setdefault(fx["mmsi"], {"last_t": None, "harbour": None, "prev": None})
        if st["last_t"] is not None and fx["t"] < st["last_t"]:
            continue
        speed = fx["sog"]
        if speed is None and st["prev"] is not None and fx["t"] > st["prev"][2]:
            _, _, dist = GEOD.inv(st["prev"][1], st["prev"][0], fx["lon"], fx["lat"])
            speed = dist / (fx["t"] - st["prev"][2]) * 3600 / 1852
        st["prev"] = (fx["lat"], fx["lon"], fx["t"])
        st["last_t"] = fx["t"]
        pt = shapely.geometry.Point(fx["lon"], fx["lat"])
        inside = next((z for z in zones if z["shape"].covers(pt)), None)
        if inside:
            st["harbour"] = inside
            continue
        z = st["harbour"]
        if z is None:
            continue
        x, y = z["proj"].transform(fx["lon"], fx["lat"])
        outside = z["metric"].distance(shapely.geometry.Point(x, y))
        if outside <= buffer_m or speed is None or speed < min_sog:
            continue
        st["harbour"] = None
        boat = registry.get(fx["mmsi"])
        day = dt.datetime.fromtimestamp(fx["t"], dt.timezone.utc).date().isoformat()
        if boat is None:
            rule = "unregistered_departure"
        elif boat["status"] != "active" or not boat["licence_valid_until"] or boat["licence_valid_until"] < day:
            rule = "licence_invalid_departure"
        else:
            continue
        alerts.append({"rule": rule, "mmsi": fx["mmsi"], "zone_id": z["id"],
                       "time": dt.datetime.fromtimestamp(fx["t"], dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                       "lat": round(fx["lat"], 6), "lon": round(fx["lon"], 6)})
    for a in sorted(alerts, key=lambda a: (a["mmsi"], a["time"])):
        print(json.dumps(a))


if __name__ == "__main__":
    main()
