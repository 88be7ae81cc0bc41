package io.reportpipes.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated startdownload payload: Kind, RowId, date filters and the kind's settings object.
 * Validation is strict, as the sandbox should catch a typo in our configuration before the vendor does.
 */
record ServiceminderRequest(ServiceminderKind kind, long rowId, Map<String, Boolean> settings,
                            long createdFrom, long createdThrough, long updatedFrom, long updatedThrough,
                            long dateFrom, long dateThrough, long completedAfter, long completedBefore) {

    static final Set<String> FILTERS = Set.of("CreatedFrom", "CreatedThrough", "UpdatedFrom", "UpdatedThrough",
            "DateFrom", "DateThrough", "CompletedBefore", "CompletedAfter");
    private static final Set<String> FIELDS = Set.of("ApiKey", "Kind", "UserId", "RowId", "OrganizationId");
    private static final List<DateTimeFormatter> DATE_TIMES = List.of(
            DateTimeFormatter.ofPattern("M/d/yyyy H:mm[:ss]"), DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    private static final List<DateTimeFormatter> DATES = List.of(
            DateTimeFormatter.ofPattern("M/d/yyyy"), DateTimeFormatter.ISO_LOCAL_DATE);

    /** A payload the vendor refuses: its {@code Message}. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    static ServiceminderRequest parse(JsonNode body) throws Invalid {
        ServiceminderKind kind = ServiceminderKind.of(text(body, "Kind")).orElseThrow(() -> new Invalid(
                body.hasNonNull("Kind") ? "Unknown Kind '" + text(body, "Kind") + "'. Valid kinds: "
                        + String.join(", ", ServiceminderKind.names()) + "." : "Kind is required."));
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            boolean known = FIELDS.contains(name) || FILTERS.contains(name)
                    || ServiceminderKind.of(name).isPresent() || isSettingsObject(name);
            if (!known) {
                throw new Invalid("Unknown field '" + name + "'.");
            }
            if (isSettingsObject(name) && !name.equals(kind.settingsObject())) {
                throw new Invalid("Settings object '" + name + "' does not apply to Kind " + kind.kind() + ".");
            }
        }
        long rowId = 0;
        if (body.hasNonNull("RowId")) {
            if (!body.get("RowId").canConvertToInt() || body.get("RowId").asInt() < 0) {
                throw new Invalid("RowId must be a non-negative int32.");
            }
            rowId = body.get("RowId").asLong();
        }
        Map<String, Boolean> settings = new HashMap<>(kind.settingDefaults());
        JsonNode object = body.get(kind.settingsObject());
        if (object != null && !object.isNull()) {
            if (!object.isObject()) {
                throw new Invalid(kind.settingsObject() + " must be an object.");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> setting = it.next();
                if (!kind.settingDefaults().containsKey(setting.getKey())) {
                    throw new Invalid("Unknown setting " + kind.settingsObject() + "." + setting.getKey()
                            + ". Valid settings: " + String.join(", ", kind.settingDefaults().keySet()) + ".");
                }
                if (!setting.getValue().isBoolean()) {
                    throw new Invalid(kind.settingsObject() + "." + setting.getKey() + " must be true or false.");
                }
                settings.put(setting.getKey(), setting.getValue().asBoolean());
            }
        }
        if (!kind.hasCompletedDate() && (body.has("CompletedBefore") || body.has("CompletedAfter"))) {
            throw new Invalid("CompletedBefore/CompletedAfter do not apply to Kind " + kind.kind() + ".");
        }
        return new ServiceminderRequest(kind, rowId, Map.copyOf(settings),
                date(body, "CreatedFrom", false, Long.MIN_VALUE), date(body, "CreatedThrough", true, Long.MAX_VALUE),
                date(body, "UpdatedFrom", false, Long.MIN_VALUE), date(body, "UpdatedThrough", true, Long.MAX_VALUE),
                date(body, "DateFrom", false, Long.MIN_VALUE), date(body, "DateThrough", true, Long.MAX_VALUE),
                date(body, "CompletedAfter", false, Long.MIN_VALUE),
                date(body, "CompletedBefore", false, Long.MAX_VALUE));
    }

    private static boolean isSettingsObject(String name) {
        for (ServiceminderKind k : ServiceminderKind.values()) {
            if (k.settingsObject().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The same request from another RowId on. */
    ServiceminderRequest fromRowId(long from) {
        return new ServiceminderRequest(kind, from, settings, createdFrom, createdThrough, updatedFrom, updatedThrough,
                dateFrom, dateThrough, completedAfter, completedBefore);
    }

    boolean matches(ServiceminderRows.Row row) {
        if (row.created < createdFrom || row.created > createdThrough
                || row.updated < updatedFrom || row.updated > updatedThrough
                || row.date < dateFrom || row.date > dateThrough) {
            return false;
        }
        if (completedAfter != Long.MIN_VALUE || completedBefore != Long.MAX_VALUE) {
            long completed = row.completed();
            if (completed < 0 || completed <= completedAfter || completed >= completedBefore) {
                return false;
            }
        }
        return row.includedBy(settings);
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    /** A datetime filter; a date alone means the start of that day, or its end for an inclusive upper bound. */
    private static long date(JsonNode body, String field, boolean endOfDay, long absent) throws Invalid {
        String value = text(body, field);
        if (value == null || value.isBlank()) {
            return absent;
        }
        for (DateTimeFormatter format : DATE_TIMES) {
            try {
                return LocalDateTime.parse(value.trim(), format).toEpochSecond(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // try the next format
            }
        }
        for (DateTimeFormatter format : DATES) {
            try {
                LocalDate day = LocalDate.parse(value.trim(), format);
                LocalDateTime at = endOfDay ? day.atTime(23, 59, 59) : day.atStartOfDay();
                return at.toEpochSecond(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // try the next format
            }
        }
        throw new Invalid("Invalid " + field + " '" + value + "': use MM/dd/yyyy or MM/dd/yyyy HH:mm:ss.");
    }
}
