package io.reportpipes.crewmojo;

/**
 * A Crewmojo API client: its credentials, shared by every report job configured under it.
 *
 * @param name          the short name in application.properties (crewmojo.client.&lt;name&gt;.*); names folders
 * @param secretSetting where the secret comes from, for messages: "the environment variable …" (never the value)
 */
public record CrewmojoClient(String name, String clientId, String clientSecret, String secretSetting) {

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "client " + name + " (" + clientId + ")";
    }
}
