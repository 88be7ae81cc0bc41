package io.reportpipes.sandbox;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The vendor sandbox on its own, for benchmarks and for trying requests by hand:
 * <pre>
 * java -cp … io.reportpipes.sandbox.SandboxMain --port 18095 --ready-after 0s \
 *      --org bench:bench-key:7 --rows bench/contacts=1000000
 * </pre>
 * {@code --org name:apiKey:userId} (repeatable), {@code --rows organisation/kind=count} (repeatable),
 * {@code --client clientId:secret} (repeatable: Crewmojo's API too, its reports {@code --crewmojo-rows} rows each over
 * the two years before today, as the embedded sandbox serves them),
 * {@code --prepare organisation/kind} (repeatable: render that Kind's rows once and serve pages as slices, so
 * that the sandbox is not what a benchmark measures), {@code --default-rows}, {@code --queue-limit}, {@code --seed}. Runs until killed; prints its call counts then.
 */
public final class SandboxMain {

    private SandboxMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 18095;
        Duration readyAfter = Duration.ofSeconds(1);
        int queueLimit = 100;
        long defaultRows = 1000;
        long seed = 42;
        long crewmojoRows = 1000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--ready-after" -> readyAfter = Duration.parse("PT" + args[i + 1].toUpperCase());
                case "--queue-limit" -> queueLimit = Integer.parseInt(args[i + 1]);
                case "--default-rows" -> defaultRows = Long.parseLong(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--crewmojo-rows" -> crewmojoRows = Long.parseLong(args[i + 1]);
                case "--org", "--rows", "--prepare", "--client" -> { }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ServiceminderSandbox serviceminder = new ServiceminderSandbox(seed, readyAfter, queueLimit, defaultRows);
        int organizationId = 1000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--org")) {
                String[] org = args[i + 1].split(":");
                Set<Integer> users = new HashSet<>(Set.of(Integer.parseInt(org[2])));
                serviceminder.addOrganisation(new ServiceminderSandbox.Organisation(org[0], org[1], organizationId++, users));
            } else if (args[i].equals("--rows")) {
                String[] rows = args[i + 1].split("[/=]");
                serviceminder.rows(rows[0], rows[1], Long.parseLong(rows[2]));
            }
        }
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--prepare")) {
                String[] kind = args[i + 1].split("/");
                serviceminder.prepare(kind[0], kind[1]);
            }
        }
        CrewmojoSandbox crewmojo = new CrewmojoSandbox(seed, Duration.ofMinutes(30), Duration.ofMinutes(10), crewmojoRows)
                .firstDate(LocalDate.now(ZoneOffset.UTC).minusDays(730));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--client")) {
                String[] client = args[i + 1].split(":");
                crewmojo.addClient(client[0], client[1]);
            }
        }
        SandboxServer server = SandboxServer.start(port, serviceminder, crewmojo);
        // what a benchmark or the cluster test reads when it stops the sandbox (kill -TERM)
        List<String> organisations = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--org")) {
                organisations.add(args[i + 1].split(":")[0]);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            StringBuilder most = new StringBuilder();
            StringBuilder mostOfFetched = new StringBuilder();
            StringBuilder neverFetched = new StringBuilder();
            for (String o : organisations) {
                most.append(' ').append(o).append('=').append(serviceminder.maxQueued(o));
                mostOfFetched.append(' ').append(o).append('=').append(serviceminder.maxQueuedOfFetched(o));
                neverFetched.append(' ').append(o).append('=').append(serviceminder.neverFetched(o));
            }
            System.out.println("sandbox calls: startdownload=" + serviceminder.calls("startdownload")
                    + " downloadstatus=" + serviceminder.calls("downloadstatus") + " getdownload="
                    + serviceminder.calls("getdownload") + " crewmojo-tokens=" + crewmojo.count("tokens")
                    + " crewmojo-401=" + crewmojo.count("401") + "\nsandbox most queued:" + most
                    + "\nsandbox most queued of the downloads fetched:" + mostOfFetched
                    + "\nsandbox never fetched:" + neverFetched);
        }));
        System.out.println("sandbox listening on " + server.baseUrl());
        Thread.currentThread().join();
    }
}
