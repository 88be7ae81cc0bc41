package io.reportpipes.jobs;

import org.apache.camel.spi.PropertiesComponent;
import org.quartz.CronExpression;

import java.net.URI;
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
    private final Properties own;
    private final String ownPrefix;

    public JobSettings(PropertiesComponent pc, List<String> problems) {
        this(pc, problems, "\0", new Properties());
    }

    private JobSettings(PropertiesComponent pc, List<String> problems, String ownPrefix, Properties own) {
        this.pc = pc;
        this.problems = problems;
        this.ownPrefix = ownPrefix;
        this.own = own;
    }

    /**
     * Settings in which every key under {@code prefix} comes from {@code values} alone (a Kamelet's
     * properties, as the keys of application.properties would say them); other keys (transforms, sinks,
     * defaults) come from the configuration as usual.
     */
    public static JobSettings with(PropertiesComponent pc, List<String> problems, String prefix,
                                   Map<String, String> values) {
        Properties own = new Properties();
        own.putAll(values);
        return new JobSettings(pc, problems, prefix, own);
    }

    private boolean owned(String key) {
        return (ownPrefix != null && key.startsWith(ownPrefix)) || own.containsKey(key);
    }

    public Optional<String> value(String key) {
        if (owned(key)) {
            return Optional.ofNullable(own.getProperty(key)).map(String::trim);
        }
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
            value = owned(key) ? Optional.ofNullable(own.getProperty(key)) : pc.resolveProperty(key);
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
        Properties raw = pc.loadProperties(key -> key.startsWith(prefix) && !owned(key));
        own.stringPropertyNames().stream().filter(key -> key.startsWith(prefix))
                .forEach(key -> raw.setProperty(key, own.getProperty(key)));
        return raw;
    }

    private String raw(String key) {
        return owned(key) ? own.getProperty(key, "") : pc.loadProperties(k -> k.equals(key)).getProperty(key, "");
    }

    /**
     * API keys and client secrets travel in the requests: plain http is allowed to this machine only
     * (the sandbox, a local proxy), never to another host.
     */
    public static void requireTls(String baseUrl, String key) {
        URI uri = URI.create(baseUrl);
        String host = uri.getHost() == null ? "" : uri.getHost();
        boolean loopback = host.equals("localhost") || host.equals("::1") || host.equals("[::1]")
                || host.startsWith("127.");
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !("http".equalsIgnoreCase(uri.getScheme()) && loopback)) {
            throw new IllegalArgumentException(key + " is " + baseUrl + ": the vendor APIs take keys and secrets in "
                    + "their requests, so a host other than this machine must be reached over https");
        }
    }

    public static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
