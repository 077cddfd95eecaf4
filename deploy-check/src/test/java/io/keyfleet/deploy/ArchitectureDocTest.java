package io.keyfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md names the modules that exist, and every module that exists. A module is named
 * <ul>
 *   <li>in the first column of the first table under {@code ## Modules}: one backticked name per row; the rows must be exactly
 *   the root pom's {@code <module>}s;</li>
 *   <li>anywhere else (outside fenced code blocks) as a backticked token shaped like a module name: lower-case words
 *   joined by {@code -} ending in {@code -service}, {@code -api}, {@code -stub}, {@code -kit}, {@code -contracts},
 *   {@code -stack}, {@code -check} or {@code -sandbox}, or exactly {@code cli} or {@code bench}; each must be a root pom
 *   {@code <module>}. Tokens with other characters ({@code keyfleet.sync.key-service-url}, {@code service:sync-service})
 *   are not module names.</li>
 * </ul>
 */
class ArchitectureDocTest {

    static final String DOC = "docs/architecture.md";

    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern MODULE_SHAPED = Pattern.compile(
            "[a-z][a-z0-9]*(-[a-z0-9]+)*-(service|api|stub|kit|contracts|stack|check|sandbox)|cli|bench");

    @Test
    void everyModuleTheDocNamesExistsAndEveryModuleIsNamed() {
        List<String> modules = MavenReactor.read(Repo.ROOT).moduleDirs;
        assertThat(modules).as("root pom.xml <modules>").isNotEmpty();
        assertThat(problems(Repo.read(DOC), modules)).as(DOC + " against the root pom.xml's <module>s").isEmpty();
    }

    @Test
    void selfTestAMisspelledOrMissingModuleIsNoticed() {
        String doc = """
                # A
                ## Modules
                | module | what |
                |---|---|
                | `key-service` | keys |
                | `signing-servce` | signs |
                | `key-service-api` | typed clients |

                | service | packages |
                |---|---|
                | key-service | `keypair` |
                ## Calls
                `sync-service` asks `key-service-api`; `keyfleet.sync.key-service-url`, `service:sync-service`, `bench/run tokens`
                ```
                `not-a-service` inside a fence is not read
                ```
                """;
        List<String> problems = problems(doc, List.of("key-service", "signing-service", "key-service-api"));
        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).contains("`signing-servce`", "line 6", "Modules table");
        assertThat(problems.get(1)).contains("`sync-service`", "line 13");
        assertThat(problems.get(2)).contains("`signing-service`", "not in the Modules table");
        assertThat(problems(doc.replace("signing-servce", "signing-service").replace("`sync-service` asks", "asks"),
                List.of("key-service", "signing-service", "key-service-api"))).isEmpty();
    }

    @Test
    void selfTestADocWithoutAModulesTableFails() {
        assertThat(problems("# A\n`key-service`\n", List.of("key-service")))
                .anySatisfy(p -> assertThat(p).contains("no `## Modules` table"));
    }

    /** What is wrong with {@code doc} against the root pom's {@code modules}; empty when nothing is. */
    static List<String> problems(String doc, List<String> modules) {
        List<String> problems = new ArrayList<>();
        String[] lines = doc.split("\n", -1);
        Set<String> tableModules = new LinkedHashSet<>();
        boolean inFence = false;
        boolean inModules = false;
        boolean tableSeen = false;
        int tableRow = 0;
        int tables = 0;
        boolean previousWasRow = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            if (line.strip().startsWith("```")) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            if (line.startsWith("## ")) {
                inModules = line.substring(3).strip().equals("Modules");
                tableRow = 0;
                tables = 0;
            }
            boolean row = line.startsWith("|");
            if (row && !previousWasRow) {
                tables++;
            }
            previousWasRow = row;
            if (inModules && row && tables == 1) {      // the first table under ## Modules
                tableRow++;
                String[] cells = line.split("\\|", -1);
                String first = cells.length > 1 ? cells[1].strip() : "";
                if (tableRow > 2) {      // row 1 is the header, row 2 the |---| line
                    tableSeen = true;
                    List<String> names = spans(first);
                    if (names.size() != 1) {
                        problems.add(DOC + " line " + lineNo + ": a Modules table row must name one module in backticks, found "
                                + first);
                    } else if (!modules.contains(names.get(0))) {
                        problems.add(DOC + " line " + lineNo + ": the Modules table names `" + names.get(0)
                                + "`, which is not a <module> of the root pom.xml");
                    } else if (!tableModules.add(names.get(0))) {
                        problems.add(DOC + " line " + lineNo + ": the Modules table names `" + names.get(0) + "` twice");
                    }
                }
                continue;
            }
            for (String token : spans(line)) {
                if (MODULE_SHAPED.matcher(token).matches() && !modules.contains(token)) {
                    problems.add(DOC + " line " + lineNo + ": names module `" + token
                            + "`, which is not a <module> of the root pom.xml");
                }
            }
        }
        if (!tableSeen) {
            problems.add(DOC + " has no `## Modules` table naming the modules");
        }
        for (String module : modules) {
            if (tableSeen && !tableModules.contains(module)) {
                problems.add("root pom.xml <module> `" + module + "` is not in the Modules table of " + DOC);
            }
        }
        return problems;
    }

    private static List<String> spans(String text) {
        List<String> spans = new ArrayList<>();
        Matcher m = CODE_SPAN.matcher(text);
        while (m.find()) {
            spans.add(m.group(1).strip());
        }
        return spans;
    }
}
