package io.keyfleet.sync.catalog;

import java.util.Arrays;
import java.util.Optional;

/** The items of a pool's catalog, in sync order: the base resources (zones, operating systems) first. */
public enum CatalogType {
    ZONES("zones", true),
    OPERATING_SYSTEMS("operating-systems", true),
    CLOUD_SERVER_LINES("cloud-server-lines", false),
    HOSTING_LINES("hosting-lines", false),
    HOSTING_POWER_OPTIONS("hosting-power-options", false),
    BARE_METAL_LINES("bare-metal-lines", false),
    BARE_METAL_DISK_MODELS("bare-metal-disk-models", false);

    private final String path;
    private final boolean base;

    CatalogType(String path, boolean base) {
        this.path = path;
        this.base = base;
    }

    /** The name in the API and the upstream list path, e.g. cloud-server-lines. */
    public String path() {
        return path;
    }

    public boolean base() {
        return base;
    }

    public static Optional<CatalogType> of(String path) {
        return Arrays.stream(values()).filter(type -> type.path.equals(path)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(CatalogType::path).toList().toString();
    }
}
