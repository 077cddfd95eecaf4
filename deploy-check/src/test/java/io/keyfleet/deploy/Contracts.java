package io.keyfleet.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Facts the deployments must agree with, read from the sources that define them. */
final class Contracts {

    record TopicSpec(int partitions, long retentionMs) {
    }

    private Contracts() {
    }

    /** The topic names of event-contracts' Topics.java. */
    static Set<String> topics() {
        String source = Repo.read("event-contracts/src/main/java/io/keyfleet/events/Topics.java");
        Matcher matcher = Pattern.compile("static final String \\w+\\s*=\\s*\"([^\"]+)\"").matcher(source);
        Set<String> topics = new TreeSet<>();
        while (matcher.find()) {
            topics.add(matcher.group(1));
        }
        if (topics.isEmpty()) {
            throw new IllegalStateException("No topic constants found in Topics.java");
        }
        return topics;
    }

    /** {@code create <topic> <partitions> <retention.ms>} lines of the compose topic script. */
    static Map<String, TopicSpec> composeTopics() {
        Map<String, TopicSpec> topics = new LinkedHashMap<>();
        Matcher matcher = Pattern.compile("(?m)^create\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s*$")
                .matcher(Repo.read("deploy/compose/kafka/create-topics.sh"));
        while (matcher.find()) {
            topics.put(matcher.group(1), new TopicSpec(Integer.parseInt(matcher.group(2)), Long.parseLong(matcher.group(3))));
        }
        return topics;
    }
}
