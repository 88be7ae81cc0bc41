package io.reportpipes.crewmojo;

import io.reportpipes.jobs.Transform;
import io.reportpipes.jobs.JobSettings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Crewmojo jobs of {@code application.properties}: one block per API client, one job per report.
 * Checked at start-up; every problem is listed at once, in configuration terms.
 * <pre>
 * crewmojo.clients = people
 * crewmojo.client.people.client-id = {{env:CREWMOJO_PEOPLE_CLIENT_ID}}
 * crewmojo.client.people.client-secret = {{env:CREWMOJO_PEOPLE_CLIENT_SECRET}}
 * crewmojo.client.people.reports = oneonone.summary, employee.list
 * crewmojo.client.people.oneonone.summary.window = last-7-days     (see {@link ReportWindow})
 * crewmojo.client.people.employee.list.content-type = json         (csv, the default, or json)
 * crewmojo.client.people.employee.list.transform = jsonl           (csv reports; else the client's, else transform.default)
 * crewmojo.client.people.schedule / .sink / .transform             (as for a serviceminder organisation)
 * </pre>
 */
public final class CrewmojoJobs {

    static final String PREFIX = "crewmojo.client.";
    private static final Pattern REPORT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Set<String> CLIENT_KEYS = Set.of("client-id", "client-secret", "reports", "schedule", "sink",
            "transform");
    private static final Set<String> REPORT_KEYS = Set.of("window", "start-date", "end-date", "content-type",
            "transform");

    private CrewmojoJobs() {
    }

    public static List<CrewmojoJob> load(JobSettings settings, boolean sandbox) {
        Properties raw = settings.rawUnder(PREFIX);
        List<CrewmojoJob> jobs = new ArrayList<>();
        List<String> clients = JobSettings.list(settings.value("crewmojo.clients", ""));
        String environment = settings.value("crewmojo.environment", "");
        if (!clients.isEmpty() && settings.value("crewmojo.url." + environment).isEmpty()) {
            settings.problem("crewmojo.environment '" + environment + "' is not one of " + String.join(", ",
                    settings.rawUnder("crewmojo.url.").stringPropertyNames().stream().sorted()
                            .map(key -> key.substring("crewmojo.url.".length())).toList())
                    + " (or set crewmojo.base-url)");
        }
        for (String name : clients) {
            String at = "crewmojo client '" + name + "': ";
            if (!JobSettings.NAME.matcher(name).matches()) {
                settings.problem(at + "use lower-case letters, digits and '-' (it names folders and routes)");
                continue;
            }
            String base = PREFIX + name + ".";
            String clientId = settings.required(base + "client-id", at);
            String secret = settings.required(base + "client-secret", at);
            settings.refuseSandboxDefault(secret, base + "client-secret", sandbox, at, "the client secret");
            CrewmojoClient client = new CrewmojoClient(name, clientId, secret, settings.envName(base + "client-secret"));
            String schedule = settings.schedule(base + "schedule", at);
            String sinkUri = settings.sinkUri(base + "sink", at);
            String clientTransform = settings.value(base + "transform", settings.defaultTransform());
            List<String> reports = JobSettings.list(settings.value(base + "reports", ""));
            if (reports.isEmpty()) {
                settings.problem(at + base + "reports is missing: list the report ids to download, e.g. "
                        + "oneonone.summary (ask Crewmojo which reports your client may use)");
            }
            checkKeys(raw, base, reports, settings, at);
            for (String report : reports) {
                String where = "crewmojo client '" + name + "' report '" + report + "': ";
                if (!REPORT_ID.matcher(report).matches()) {
                    settings.problem(where + "a report id has letters, digits, '.', '_' and '-' only");
                    continue;
                }
                String reportBase = base + report + ".";
                List<String> problems = new ArrayList<>();
                ReportWindow window = ReportWindow.parse(settings.value(reportBase + "window").orElse(null),
                        settings.value(reportBase + "start-date").orElse(null),
                        settings.value(reportBase + "end-date").orElse(null), where, reportBase, problems);
                problems.forEach(settings::problem);
                String contentType = settings.value(reportBase + "content-type", "csv");
                if (!contentType.equals("csv") && !contentType.equals("json")) {
                    settings.problem(where + reportBase + "content-type '" + contentType + "' is not csv or json");
                }
                boolean json = contentType.equals("json");
                String transformName = settings.value(reportBase + "transform", json ? "" : clientTransform);
                Transform transform = json && transformName.isEmpty() ? Transform.VENDOR_JSON
                        : settings.transform(transformName);
                if (json && transform != Transform.VENDOR_JSON) {
                    settings.problem(where + "a json report is delivered as Crewmojo's JSON array; remove "
                            + reportBase + "transform, or use content-type csv with transform '" + transformName + "'");
                }
                if (clientId != null && secret != null && window != null && transform != null) {
                    jobs.add(new CrewmojoJob(client, report, window, json, schedule, sinkUri, transform));
                }
            }
        }
        return jobs;
    }

    /** Flags keys that belong to no configured report, or are no setting at all. */
    private static void checkKeys(Properties raw, String base, List<String> reports, JobSettings settings, String at) {
        // the longest report id first: "goals.progress.window" belongs to goals.progress, not goals
        List<String> byLength = reports.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String key : raw.stringPropertyNames()) {
            if (!key.startsWith(base) || CLIENT_KEYS.contains(key.substring(base.length()))) {
                continue;
            }
            String rest = key.substring(base.length());
            String report = byLength.stream().filter(r -> rest.startsWith(r + ".")).findFirst().orElse(null);
            if (report == null) {
                settings.problem(at + key + " is neither a client setting (" + String.join(", ", CLIENT_KEYS.stream()
                        .sorted().toList()) + ") nor a setting of a report in " + base + "reports");
            } else if (!REPORT_KEYS.contains(rest.substring(report.length() + 1))) {
                settings.problem(at + key + ": '" + rest.substring(report.length() + 1) + "' is not a report setting ("
                        + String.join(", ", REPORT_KEYS.stream().sorted().toList()) + ")");
            }
        }
    }
}
