package io.keyfleet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.keyfleet.events.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka ACLs each service must have, derived from event-contracts' {@link Topics} (never a second list): Write on
 * the topics it writes, Read on the topics it reads, and Read on the consumer groups named after it (prefix
 * {@code <service>}: its group, {@code <service>-cache-<uuid>}, {@code <service>-verification-cache-<uuid>}). One ACL
 * is written {@code type:pattern:name:Operation}, e.g. {@code topic:literal:keyfleet.keys.v1:Write}.
 */
final class KafkaAcls {

    private KafkaAcls() {
    }

    static String acl(String resourceType, String patternType, String name, String operation) {
        return resourceType + ":" + patternType + ":" + name + ":" + operation;
    }

    static Set<String> expected(String service) {
        Set<String> acls = new TreeSet<>();
        Topics.writtenBy(service).forEach(topic -> acls.add(acl("topic", "literal", topic, "Write")));
        Topics.readBy(service).forEach(topic -> acls.add(acl("topic", "literal", topic, "Read")));
        if (!Topics.readBy(service).isEmpty()) {
            acls.add(acl("group", "prefix", service, "Read"));
        }
        return acls;
    }

    /** The ACLs of a Strimzi {@code KafkaUser}'s {@code spec.authorization.acls} (operations or the older operation). */
    static Set<String> ofKafkaUser(JsonNode user) {
        Set<String> acls = new TreeSet<>();
        for (JsonNode rule : user.at("/spec/authorization/acls")) {
            JsonNode resource = rule.path("resource");
            String type = resource.path("type").asText();
            String pattern = resource.path("patternType").asText("literal");
            String name = resource.path("name").asText(type.equals("cluster") ? "kafka-cluster" : "");
            String prefix = rule.path("type").asText("allow").equals("allow") ? "" : rule.path("type").asText() + " ";
            List<String> operations = new ArrayList<>();
            rule.path("operations").forEach(op -> operations.add(op.asText()));
            if (rule.hasNonNull("operation")) {
                operations.add(rule.path("operation").asText());
            }
            operations.forEach(op -> acls.add(prefix + acl(type, pattern, name, op)));
        }
        return acls;
    }

    private static final Pattern COMPOSE_USER = Pattern.compile("(?m)^user\\s+(\\S+)\\s");
    private static final Pattern COMPOSE_ALLOW = Pattern.compile("(?m)^allow\\s+(\\S+)\\s+(\\S+)\\s+(topic|group-prefix)\\s+(\\S+)\\s*$");

    /**
     * The users (lines {@code user <name> ...}) and ACLs (lines {@code allow <user> <operation> topic|group-prefix <name>})
     * of the compose script deploy/compose/kafka/create-acls.sh, user to ACLs.
     */
    static Map<String, Set<String>> ofComposeScript(String script) {
        Map<String, Set<String>> users = new LinkedHashMap<>();
        Matcher user = COMPOSE_USER.matcher(script);
        while (user.find()) {
            users.put(user.group(1), new TreeSet<>());
        }
        Matcher allow = COMPOSE_ALLOW.matcher(script);
        while (allow.find()) {
            boolean topic = allow.group(3).equals("topic");
            users.computeIfAbsent(allow.group(1), u -> new TreeSet<>())
                    .add(acl(topic ? "topic" : "group", topic ? "literal" : "prefix", allow.group(4), allow.group(2)));
        }
        return users;
    }

    /** Violations of one user's ACLs against {@link #expected}: what is missing, what is more. */
    static List<String> compare(String who, String service, Set<String> actual) {
        List<String> violations = new ArrayList<>();
        Set<String> expected = expected(service);
        for (String acl : actual) {
            if (acl.contains("*")) {
                violations.add(who + ": wildcard ACL " + acl);
            } else if (!expected.contains(acl)) {
                violations.add(who + ": ACL " + acl + " is not in Topics.java");
            }
        }
        expected.stream().filter(acl -> !actual.contains(acl)).forEach(acl -> violations.add(who + ": lacks ACL " + acl));
        return violations;
    }
}
