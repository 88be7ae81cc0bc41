package io.reportpipes.jobs;

import io.reportpipes.delivery.Transform;
import org.apache.camel.spi.PropertiesComponent;
import org.quartz.CronExpression;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every vendor's job configuration shares: secrets from the environment, the schedule, the sink
 * and the transform. Problems are collected, not thrown, so start-up can list them all at once; a
 * secret's value is never put in a message.
 */
public final class JobSettings {

    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)");
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final PropertiesComponent pc;
    private final List<String> problems;
    private final Map<String, Transform> transforms = new HashMap<>();

    public JobSettings(PropertiesComponent pc, List<String> problems) {
        this.pc = pc;
        this.problems = problems;
    }

    public Optional<String> value(String key) {
        return pc.resolveProperty(key).map(String::trim);
    }

    public String value(String key, String absent) {
        return value(key).orElse(absent);
    }

    public void problem(String problem) {
        problems.add(problem);
    }

    /** A required value (e.g. a key or secret from the environment); null and a problem when missing. */
    public String required(String key, String at) {
        Optional<String> value;
        try {
            value = pc.resolveProperty(key);
        } catch (RuntimeException e) {
            value = Optional.empty();
        }
        if (value.isPresent() && !value.get().isBlank()) {
            return value.get().trim();
        }
        // say which environment variable to set; never print a value
        problems.add(at + key + (ENV.matcher(raw(key)).find() ? " is empty: set " + envName(key) : " is missing"));
        return null;
    }

    /** "the environment variable NAME" when the key's value is {{env:NAME…}}, else the key itself. */
    public String envName(String key) {
        Matcher env = ENV.matcher(raw(key));
        return env.find() ? "the environment variable " + env.group(1) : key;
    }

    /** A secret left at the sandbox's default while the real vendor is the target. */
    public void refuseSandboxDefault(String secret, String key, boolean sandbox, String at, String what) {
        if (secret != null && !sandbox && secret.startsWith("sandbox-")) {
            problems.add(at + what + " is the sandbox's default; set " + envName(key) + " to the real one");
        }
    }

    /** The job's Quartz schedule: its own key, else report-pipes.schedule; empty means none. */
    public String schedule(String key, String at) {
        String schedule = value(key).orElse(value("report-pipes.schedule", ""));
        if (!schedule.isEmpty() && !CronExpression.isValidExpression(schedule)) {
            problems.add(at + "schedule '" + schedule + "' is not a Quartz cron expression "
                    + "(seconds minutes hours day-of-month month day-of-week [year]), e.g. '0 0 2 * * ?'");
        }
        return schedule;
    }

    /** The sink's endpoint URI: the key names a sink (sink.<name>.uri) or, containing ':', is a URI itself. */
    public String sinkUri(String key, String at) {
        String sink = value(key).orElse(value("sink.default", ""));
        String uri = sink.contains(":") ? sink : value("sink." + sink + ".uri", "");
        if (uri.isEmpty()) {
            problems.add(at + "sink '" + sink + "' is not defined: set sink." + sink + ".uri to a Camel endpoint URI");
        }
        return uri;
    }

    /** The named transform (transform.<name>.*), each read once; null (and a problem) when invalid. */
    public Transform transform(String name) {
        return transforms.computeIfAbsent(name, n -> Transform.load(pc, n, problems));
    }

    public String defaultTransform() {
        return value("transform.default", "csv");
    }

    /** The raw (unresolved) properties under a prefix, to find unknown keys and {{env:…}} names. */
    public Properties rawUnder(String prefix) {
        return pc.loadProperties(key -> key.startsWith(prefix));
    }

    private String raw(String key) {
        return pc.loadProperties(k -> k.equals(key)).getProperty(key, "");
    }

    public static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
