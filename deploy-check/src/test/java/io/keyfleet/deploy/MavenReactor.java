package io.keyfleet.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/** The root pom's modules as Maven's reactor sees them: coordinates, dependencies on each other, build plugins. */
final class MavenReactor {

    record Dependency(String groupId, String artifactId, String type, String classifier, String scope) {

        String key() {
            return groupId + ":" + artifactId;
        }
    }

    record Module(String dir, String groupId, String artifactId, String parentKey, List<Dependency> dependencies,
                  List<String> plugins) {

        String key() {
            return groupId + ":" + artifactId;
        }
    }

    final List<String> moduleDirs;
    final Map<String, Module> modules = new LinkedHashMap<>();

    private MavenReactor(List<String> moduleDirs) {
        this.moduleDirs = moduleDirs;
    }

    /** The reactor of the pom.xml in {@code root} (one level of modules, as here). */
    static MavenReactor read(Path root) {
        Element pom = parse(root.resolve("pom.xml"));
        List<String> dirs = texts(child(pom, "modules"), "module");
        MavenReactor reactor = new MavenReactor(dirs);
        for (String dir : dirs) {
            Path file = root.resolve(dir).resolve("pom.xml");
            if (Files.isRegularFile(file)) {
                reactor.modules.put(dir, module(dir, parse(file)));
            }
        }
        return reactor;
    }

    Optional<Module> module(String dir) {
        return Optional.ofNullable(modules.get(dir));
    }

    /**
     * What {@code -pl selected -am} builds: the selected modules and every module they need, through dependencies of
     * any scope and type (Maven orders the reactor by all of them) and parents.
     */
    Set<String> alsoMake(List<String> selected) {
        Map<String, String> dirByKey = new LinkedHashMap<>();
        modules.forEach((dir, module) -> dirByKey.put(module.key(), dir));
        Set<String> result = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(selected);
        while (!todo.isEmpty()) {
            String dir = todo.remove(0);
            Module module = modules.get(dir);
            if (module == null || !result.add(dir)) {
                continue;
            }
            Optional.ofNullable(dirByKey.get(module.parentKey())).ifPresent(todo::add);
            module.dependencies().stream().map(d -> dirByKey.get(d.key())).filter(d -> d != null).forEach(todo::add);
        }
        return result;
    }

    private static Module module(String dir, Element pom) {
        Element parent = child(pom, "parent");
        String parentGroup = parent == null ? null : text(parent, "groupId");
        String groupId = Optional.ofNullable(text(pom, "groupId")).orElse(parentGroup);
        String parentKey = parent == null ? null : parentGroup + ":" + text(parent, "artifactId");
        List<Dependency> dependencies = new ArrayList<>();
        Element deps = child(pom, "dependencies");
        for (Element dep : children(deps, "dependency")) {
            String depGroup = text(dep, "groupId");
            if ("${project.groupId}".equals(depGroup)) {
                depGroup = groupId;
            }
            dependencies.add(new Dependency(depGroup, text(dep, "artifactId"), Optional.ofNullable(text(dep, "type")).orElse("jar"),
                    text(dep, "classifier"), Optional.ofNullable(text(dep, "scope")).orElse("compile")));
        }
        List<String> plugins = new ArrayList<>();
        Element build = child(pom, "build");
        for (Element plugin : children(child(build, "plugins"), "plugin")) {
            plugins.add(text(plugin, "artifactId"));
        }
        return new Module(dir, groupId, text(pom, "artifactId"), parentKey, List.copyOf(dependencies), List.copyOf(plugins));
    }

    private static Element parse(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(Files.readString(file)))).getDocumentElement();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        if (parent != null) {
            for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element && element.getTagName().equals(name)) {
                    result.add(element);
                }
            }
        }
        return result;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? null : element.getTextContent().strip();
    }

    private static List<String> texts(Element parent, String name) {
        return children(parent, name).stream().map(e -> e.getTextContent().strip()).toList();
    }
}
