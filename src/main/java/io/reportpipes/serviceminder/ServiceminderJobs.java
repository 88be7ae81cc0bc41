package io.reportpipes.serviceminder;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import io.reportpipes.delivery.Transform;
import org.quartz.CronExpression;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * </pre>
 */
public final class ServiceminderJobs {

    static final String PREFIX = "serviceminder.organisation.";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)");
    private static final Set<String> FILTERS = Set.of("CreatedFrom", "CreatedThrough", "UpdatedFrom",
            "UpdatedThrough", "DateFrom", "DateThrough", "CompletedBefore", "CompletedAfter", "OrganizationId");
    private static final Set<String> ORGANISATION_KEYS = Set.of("api-key", "user-id", "kinds", "schedule", "sink", "transform");
    /** Kind-level keys that are ours, not payload fields. */
    private static final String KIND_TRANSFORM = "transform";

    private final List<ServiceminderJob> jobs;

    private ServiceminderJobs(List<ServiceminderJob> jobs) {
        this.jobs = List.copyOf(jobs);
    }

    public List<ServiceminderJob> all() {
        return jobs;
    }

    public Optional<ServiceminderJob> byId(String id) {
        return jobs.stream().filter(job -> job.id().equals(id)).findFirst();
    }

    /** Reads and validates the jobs; throws one exception that lists every problem found. */
    public static ServiceminderJobs load(CamelContext context, boolean sandbox) {
        PropertiesComponent pc = context.getPropertiesComponent();
        List<String> problems = new ArrayList<>();
        List<String> knownKinds = list(pc.resolveProperty("serviceminder.known-kinds").orElse(""));
        String defaultSchedule = pc.resolveProperty("report-pipes.schedule").orElse("");
        String defaultSink = pc.resolveProperty("sink.default").orElse("").trim();
        String defaultTransform = pc.resolveProperty("transform.default").orElse("csv").trim();
        Map<String, Transform> transforms = new LinkedHashMap<>();
        Properties raw = pc.loadProperties(key -> key.startsWith(PREFIX));
        List<ServiceminderJob> jobs = new ArrayList<>();
        List<String> organisations = list(pc.resolveProperty("serviceminder.organisations").orElse(""));

        for (String organisation : organisations) {
            String at = "serviceminder organisation '" + organisation + "': ";
            if (!NAME.matcher(organisation).matches()) {
                problems.add(at + "use lower-case letters, digits and '-' (it names folders and routes)");
                continue;
            }
            String base = PREFIX + organisation + ".";
            String apiKey = resolve(pc, raw, base + "api-key", problems, at);
            if (apiKey != null && !sandbox && apiKey.startsWith("sandbox-")) {
                problems.add(at + "the API key is the sandbox's default; set " + envName(raw, base + "api-key")
                        + " to the organisation's API key (Status: Org)");
            }
            Integer userId = null;
            String userIdText = resolve(pc, raw, base + "user-id", problems, at);
            if (userIdText != null) {
                try {
                    userId = Integer.valueOf(userIdText.trim());
                } catch (NumberFormatException e) {
                    problems.add(at + base + "user-id must be a number (the digits at the end of the user's URL in serviceminder)");
                }
            }
            String schedule = pc.resolveProperty(base + "schedule").orElse(defaultSchedule).trim();
            if (!schedule.isEmpty() && !CronExpression.isValidExpression(schedule)) {
                problems.add(at + "schedule '" + schedule + "' is not a Quartz cron expression "
                        + "(seconds minutes hours day-of-month month day-of-week [year]), e.g. '0 0 2 * * ?'");
            }
            String sink = pc.resolveProperty(base + "sink").orElse(defaultSink).trim();
            // a sink is a name (sink.<name>.uri) or, containing ':', an endpoint URI itself
            String sinkUri = sink.contains(":") ? sink : pc.resolveProperty("sink." + sink + ".uri").orElse("").trim();
            if (sinkUri.isEmpty()) {
                problems.add(at + "sink '" + sink + "' is not defined: set sink." + sink + ".uri to a Camel endpoint URI");
            }
            List<String> kinds = list(pc.resolveProperty(base + "kinds").orElse(""));
            if (kinds.isEmpty()) {
                problems.add(at + base + "kinds is missing: list the Kinds to download, e.g. contacts, invoices");
            }
            for (String kind : kinds) {
                if (!knownKinds.contains(kind)) {
                    problems.add(at + "unknown kind '" + kind + "'; known kinds: " + String.join(", ", knownKinds));
                }
            }
            checkKeys(raw, base, kinds, problems, at);
            String organisationTransform = pc.resolveProperty(base + "transform").orElse(defaultTransform).trim();
            for (String kind : kinds) {
                Map<String, Object> fields = fields(pc, raw, base + kind + ".");
                String transformName = pc.resolveProperty(base + kind + "." + KIND_TRANSFORM)
                        .orElse(organisationTransform).trim();
                Transform transform = transforms.computeIfAbsent(transformName, n -> Transform.load(pc, n, problems));
                if (apiKey != null && userId != null && transform != null) {
                    jobs.add(new ServiceminderJob(organisation, apiKey, userId, kind, fields, schedule, sinkUri,
                            transform));
                }
            }
        }
        if (organisations.isEmpty()) {
            problems.add("no serviceminder organisation configured: set serviceminder.organisations");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid serviceminder job configuration:\n  - "
                    + String.join("\n  - ", problems));
        }
        return new ServiceminderJobs(jobs);
    }

    private static String resolve(PropertiesComponent pc, Properties raw, String key, List<String> problems,
                                  String at) {
        Optional<String> value;
        try {
            value = pc.resolveProperty(key);
        } catch (RuntimeException e) {
            value = Optional.empty();
        }
        if (value.isPresent() && !value.get().isBlank()) {
            return value.get();
        }
        // say which environment variable to set; never print a value
        problems.add(at + key + (ENV.matcher(raw.getProperty(key, "")).find()
                ? " is empty: set " + envName(raw, key) : " is missing"));
        return null;
    }

    /** "the environment variable NAME" when the key's value is {{env:NAME…}}, else the key itself. */
    private static String envName(Properties raw, String key) {
        Matcher env = ENV.matcher(raw.getProperty(key, ""));
        return env.find() ? "the environment variable " + env.group(1) : key;
    }

    /** Flags keys that belong to no configured kind (a typo would otherwise be silently ignored). */
    private static void checkKeys(Properties raw, String base, List<String> kinds, List<String> problems, String at) {
        for (String key : raw.stringPropertyNames()) {
            if (!key.startsWith(base)) {
                continue;
            }
            String rest = key.substring(base.length());
            if (ORGANISATION_KEYS.contains(rest)) {
                continue;
            }
            String kind = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
            String field = rest.substring(kind.length() + (rest.contains(".") ? 1 : 0));
            if (!kinds.contains(kind)) {
                problems.add(at + key + " names kind '" + kind + "', which is not in " + base + "kinds");
            } else if (!field.contains(".") && !FILTERS.contains(field) && !KIND_TRANSFORM.equals(field)) {
                problems.add(at + key + ": '" + field + "' is not a filter (" + String.join(", ", FILTERS.stream()
                        .sorted().toList()) + ") nor a setting (SettingsObject.Setting, e.g. Contacts.WithEmails)");
            }
        }
    }

    private static Map<String, Object> fields(PropertiesComponent pc, Properties raw, String prefix) {
        Map<String, Object> fields = new LinkedHashMap<>();
        raw.stringPropertyNames().stream().filter(key -> key.startsWith(prefix))
                .filter(key -> !key.equals(prefix + KIND_TRANSFORM)).sorted().forEach(key -> {
            String field = key.substring(prefix.length());
            String value = pc.resolveProperty(key).orElse("").trim();
            Object typed = "true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value)
                    ? Boolean.valueOf(value) : value.matches("-?\\d{1,9}") ? (Object) Integer.valueOf(value) : value;
            if (field.contains(".")) {
                String object = field.substring(0, field.indexOf('.'));
                @SuppressWarnings("unchecked")
                Map<String, Object> settings = (Map<String, Object>) fields.computeIfAbsent(object,
                        o -> new LinkedHashMap<String, Object>());
                settings.put(field.substring(object.length() + 1), typed);
            } else {
                fields.put(field, typed);
            }
        });
        return fields;
    }

    static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
