package dev.dhcpcluster.bootstrap.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What {@code mvn install} publishes, read from the poms: every module that is installed is in
 * the BOM at the build's version, and none of them brings a logging backend to the applications
 * that depend on it.
 */
class PublishedArtifactsTest {

    private static final Path ROOT = Path.of("..");
    private static final String GROUP = "dev.dhcpcluster";

    private static Element read(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    }

    /** The direct child elements of {@code parent} named {@code name}. */
    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    private static Optional<Element> child(Element parent, String... path) {
        Element at = parent;
        for (String name : path) {
            List<Element> next = children(at, name);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            at = next.get(0);
        }
        return Optional.of(at);
    }

    private static String text(Element parent, String... path) {
        return child(parent, path).map(Node::getTextContent).map(String::strip).orElse("");
    }

    private record Module(String directory, String artifactId, boolean installed, Element pom) {
    }

    private static List<Module> modules() throws Exception {
        List<Module> modules = new ArrayList<>();
        for (Element module : children(child(read(ROOT.resolve("pom.xml")), "modules").orElseThrow(), "module")) {
            String directory = module.getTextContent().strip();
            Element pom = read(ROOT.resolve(directory).resolve("pom.xml"));
            boolean installed = !"true".equals(text(pom, "properties", "maven.install.skip"));
            modules.add(new Module(directory, text(pom, "artifactId"), installed, pom));
        }
        return modules;
    }

    @Test
    @DisplayName("the BOM manages every installed module, at the parent's version, and benchmarks is not installed")
    void bomListsEveryPublishedModule() throws Exception {
        Element parent = read(ROOT.resolve("pom.xml"));
        Element bom = read(ROOT.resolve("bom").resolve("pom.xml"));
        assertEquals("dhcpcluster-bom", text(bom, "artifactId"));
        assertEquals("pom", text(bom, "packaging"));
        assertEquals(text(parent, "version"), text(bom, "version"), "the BOM moves with the parent's version");
        assertTrue(child(bom, "parent").isEmpty(), "an imported BOM would bring its parent's dependency management");

        List<String> managed = new ArrayList<>();
        for (Element dependency : children(child(bom, "dependencyManagement", "dependencies").orElseThrow(),
                "dependency")) {
            assertEquals(GROUP, text(dependency, "groupId"));
            assertEquals("${dhcpcluster.version}", text(dependency, "version"), text(dependency, "artifactId"));
            managed.add(text(dependency, "artifactId"));
        }
        List<Module> modules = modules();
        for (Module module : modules) {
            if (module.installed() && !module.directory().equals("bom")) {
                assertTrue(managed.contains(module.artifactId()), "the BOM does not manage " + module.artifactId());
            }
        }
        assertFalse(modules.stream().filter(module -> module.directory().equals("benchmarks")).findFirst()
                .orElseThrow().installed(), "benchmarks is not published");
    }

    @Test
    @DisplayName("no installed module brings Logback to its users: it is optional or test-scoped wherever it is declared")
    void noPublishedModuleBringsALoggingBackend() throws Exception {
        for (Module module : modules()) {
            Optional<Element> dependencies = child(module.pom(), "dependencies");
            if (!module.installed() || dependencies.isEmpty()) {
                continue;
            }
            for (Element dependency : children(dependencies.get(), "dependency")) {
                if (text(dependency, "groupId").equals("ch.qos.logback")) {
                    assertTrue(text(dependency, "optional").equals("true") || text(dependency, "scope").equals("test"),
                            module.artifactId() + " brings " + text(dependency, "artifactId") + " to its users");
                }
            }
        }
    }
}
