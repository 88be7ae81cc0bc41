package io.reportpipes.serviceminder;

import io.reportpipes.jobs.Transform;
import io.reportpipes.jobs.JobSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The serviceminder jobs of {@code application.properties}: one block per organisation, one job per Kind.
 * Everything is checked at start-up and every problem is reported at once, so a typo never waits for
 * the night's run.
 * <pre>
 * serviceminder.organisations = north, south
 * serviceminder.organisation.north.api-key = {{env:SERVICEMINDER_NORTH_API_KEY}}
 * serviceminder.organisation.north.user-id = 4101
 * serviceminder.organisation.north.kinds = contacts, invoices
 * serviceminder.organisation.north.contacts.Contacts.WithEmails = true   (a per-kind setting)
 * serviceminder.organisation.north.invoices.UpdatedFrom = 01/01/2024     (a filter)
 * serviceminder.organisation.north.schedule = 0 0 2 * * ?                (optional, else report-pipes.schedule)
 * serviceminder.organisation.north.sink = s3                             (optional, else sink.default; or a URI)
 * serviceminder.organisation.north.transform = jsonl                     (optional, else transform.default)
 * serviceminder.organisation.north.contacts.transform = contacts-json    (optional, for one kind)
 * serviceminder.organisation.north.load = incremental                    (optional: full, the default, or incremental)
 * serviceminder.organisation.north.contacts.load = full                  (optional, for one kind)
 * </pre>
 */
public final class ServiceminderJobs {

    static final String PREFIX = "serviceminder.organisation.";
    private static final Set<String> FILTERS = Set.of("CreatedFrom", "CreatedThrough", "UpdatedFrom",
            "UpdatedThrough", "DateFrom", "DateThrough", "CompletedBefore", "CompletedAfter", "OrganizationId");
    private static final Set<String> ORGANISATION_KEYS = Set.of("api-key", "user-id", "kinds", "schedule", "sink",
            "transform", "load");
    /** Kind-level keys that are ours, not payload fields. */
    private static final Set<String> KIND_KEYS = Set.of("transform", "load");
    private static final Set<String> LOADS = Set.of("full", "incremental");

    private ServiceminderJobs() {
    }

    /** Reads the jobs, adding every problem found to the settings' list. */
    public static List<ServiceminderJob> load(JobSettings settings, boolean sandbox) {
        List<String> knownKinds = JobSettings.list(settings.value("serviceminder.known-kinds", ""));
        Properties raw = settings.rawUnder(PREFIX);
        List<ServiceminderJob> jobs = new ArrayList<>();
        for (String organisation : JobSettings.list(settings.value("serviceminder.organisations", ""))) {
            String at = "serviceminder organisation '" + organisation + "': ";
            if (!JobSettings.NAME.matcher(organisation).matches()) {
                settings.problem(at + "use lower-case letters, digits and '-' (it names folders and routes)");
                continue;
            }
            String base = PREFIX + organisation + ".";
            String apiKey = settings.required(base + "api-key", at);
            settings.refuseSandboxDefault(apiKey, base + "api-key", sandbox, at, "the API key (Status: Org)");
            Integer userId = null;
            String userIdText = settings.required(base + "user-id", at);
            if (userIdText != null) {
                try {
                    userId = Integer.valueOf(userIdText);
                } catch (NumberFormatException e) {
                    settings.problem(at + base + "user-id must be a number (the digits at the end of the user's URL "
                            + "in serviceminder)");
                }
            }
            String schedule = settings.schedule(base + "schedule", at);
            String sinkUri = settings.sinkUri(base + "sink", at);
            List<String> kinds = JobSettings.list(settings.value(base + "kinds", ""));
            if (kinds.isEmpty()) {
                settings.problem(at + base + "kinds is missing: list the Kinds to download, e.g. contacts, invoices");
            }
            for (String kind : kinds) {
                if (!knownKinds.contains(kind)) {
                    settings.problem(at + "unknown kind '" + kind + "'; known kinds: " + String.join(", ", knownKinds));
                }
            }
            checkKeys(raw, base, kinds, settings, at);
            String organisationTransform = settings.value(base + "transform", settings.defaultTransform());
            String organisationLoad = settings.value(base + "load", "full");
            for (String kind : kinds) {
                Map<String, Object> fields = fields(settings, raw, base + kind + ".");
                Transform transform = settings.transform(settings.value(base + kind + ".transform",
                        organisationTransform));
                String load = settings.value(base + kind + ".load", organisationLoad);
                if (!LOADS.contains(load)) {
                    settings.problem(at + "kind '" + kind + "': load '" + load + "' is not full or incremental");
                } else if (load.equals("incremental") && fields.containsKey("UpdatedFrom")) {
                    settings.problem(at + "kind '" + kind + "' is incremental, which sends its own UpdatedFrom: "
                            + "remove " + base + kind + ".UpdatedFrom, or use load full");
                }
                if (apiKey != null && userId != null && transform != null) {
                    jobs.add(new ServiceminderJob(organisation, apiKey, userId, kind, fields, schedule, sinkUri,
                            transform, load.equals("incremental")));
                }
            }
        }
        return jobs;
    }

    /** Flags keys that belong to no configured kind (a typo would otherwise be silently ignored). */
    private static void checkKeys(Properties raw, String base, List<String> kinds, JobSettings settings, String at) {
        for (String key : raw.stringPropertyNames()) {
            if (!key.startsWith(base)) {
                continue;
            }
            String rest = key.substring(base.length());
            if (ORGANISATION_KEYS.contains(rest)) {
                continue;
            }
            if (rest.equals("mode") || rest.endsWith(".mode")) {
                settings.problem(at + key + ": the key is now " + base + rest.replaceFirst("mode$", "load")
                        + " (full or incremental)");
                continue;
            }
            String kind = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
            String field = rest.substring(kind.length() + (rest.contains(".") ? 1 : 0));
            if (!kinds.contains(kind)) {
                settings.problem(at + key + " names kind '" + kind + "', which is not in " + base + "kinds");
            } else if (!field.contains(".") && !FILTERS.contains(field) && !KIND_KEYS.contains(field)) {
                settings.problem(at + key + ": '" + field + "' is not a filter (" + String.join(", ", FILTERS.stream()
                        .sorted().toList()) + ") nor a setting (SettingsObject.Setting, e.g. Contacts.WithEmails)");
            }
        }
    }

    private static Map<String, Object> fields(JobSettings settings, Properties raw, String prefix) {
        Map<String, Object> fields = new LinkedHashMap<>();
        raw.stringPropertyNames().stream().filter(key -> key.startsWith(prefix))
                .filter(key -> !KIND_KEYS.contains(key.substring(prefix.length()))).sorted().forEach(key -> {
            String field = key.substring(prefix.length());
            String value = settings.value(key, "");
            Object typed = "true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value)
                    ? Boolean.valueOf(value) : value.matches("-?\\d{1,9}") ? (Object) Integer.valueOf(value) : value;
            if (field.contains(".")) {
                String object = field.substring(0, field.indexOf('.'));
                @SuppressWarnings("unchecked")
                Map<String, Object> objectSettings = (Map<String, Object>) fields.computeIfAbsent(object,
                        o -> new LinkedHashMap<String, Object>());
                objectSettings.put(field.substring(object.length() + 1), typed);
            } else {
                fields.put(field, typed);
            }
        });
        return fields;
    }
}
