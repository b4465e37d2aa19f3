"""Great-circle distance, as SteppeData.GreatCircle computes it."""
import math

EARTH_RADIUS_KM = 6371.0088  # the mean radius SteppeData.GreatCircle uses


def haversine_km(a, b):
    """Distance between (lat, lon) points a and b, in degrees, on a sphere."""
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
