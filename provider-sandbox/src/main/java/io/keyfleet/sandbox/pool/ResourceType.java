package io.keyfleet.sandbox.pool;

import java.util.Arrays;
import java.util.Optional;

/** The lists of the resource-pool API, in the order a consumer syncs them: base resources (zones, OS) first. */
public enum ResourceType {
    ZONE("zones", "zone", true),
    OS("operating-systems", "os", true),
    CLOUD_SERVER_LINE("cloud-server-lines", "cs", false),
    HOSTING_LINE("hosting-lines", "hl", false),
    HOSTING_POWER("hosting-power-options", "hp", false),
    BARE_METAL_LINE("bare-metal-lines", "bm", false),
    BARE_METAL_DISK("bare-metal-disk-models", "bd", false);

    /** Base resources have a fixed size; the catalog size is shared out among the other five. */
    static final int ZONES = 12;
    static final int OPERATING_SYSTEMS = 24;

    private final String path;
    private final String idPrefix;
    private final boolean base;

    ResourceType(String path, String idPrefix, boolean base) {
        this.path = path;
        this.idPrefix = idPrefix;
        this.base = base;
    }

    public String path() {
        return path;
    }

    public boolean base() {
        return base;
    }

    public String itemId(int index) {
        return idPrefix + "-" + String.format("%07d", index);
    }

    /** Generated items of this type for a catalog of catalogSize items in total. */
    public int generatedCount(int catalogSize) {
        if (this == ZONE) {
            return ZONES;
        }
        if (this == OS) {
            return OPERATING_SYSTEMS;
        }
        int lines = Math.max(0, catalogSize - ZONES - OPERATING_SYSTEMS);
        int share = lines / 5;
        return ordinal() - 2 < lines % 5 ? share + 1 : share;
    }

    public static Optional<ResourceType> ofPath(String path) {
        return Arrays.stream(values()).filter(type -> type.path.equals(path)).findFirst();
    }
}
