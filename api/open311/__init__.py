"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) over Minqing's cases."""
