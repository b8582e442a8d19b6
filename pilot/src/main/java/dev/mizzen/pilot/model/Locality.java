package dev.mizzen.pilot.model;

/** Where an endpoint runs, from the topology labels of its node or pod. Empty strings when unknown. */
public record Locality(String region, String zone, String subZone) {
    public static final Locality UNKNOWN = new Locality("", "", "");

    public Locality {
        region = region == null ? "" : region;
        zone = zone == null ? "" : zone;
        subZone = subZone == null ? "" : subZone;
    }

    @Override
    public String toString() {
        return region + "/" + zone + "/" + subZone;
    }
}
