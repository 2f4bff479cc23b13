package org.touchpointhub.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The capability boundaries the style guide asks for, checked on the compiled classes: the shared vocabulary
 * depends on nothing, the pure steps (mapping, enrichment) know nothing of the engines around them, and delivery
 * never reaches back into the edge or the pipeline.
 */
class ModularityTests {

    private static final JavaClasses HUB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.touchpointhub");

    @Test // #3
    void canonicalDependsOnNoOtherCapability() {
        noClasses().that().resideInAPackage("org.touchpointhub.canonical..")
                .should().dependOnClassesThat().resideInAnyPackage("org.touchpointhub.ingest..", "org.touchpointhub.connector..",
                        "org.touchpointhub.mapping..", "org.touchpointhub.pipeline..", "org.touchpointhub.identity..",
                        "org.touchpointhub.enrich..", "org.touchpointhub.crm..", "org.touchpointhub.admin..",
                        "org.touchpointhub.platform..")
                .check(HUB);
    }

    @Test // #3
    void mappingIsPureAndKnowsNoEngine() {
        noClasses().that().resideInAPackage("org.touchpointhub.mapping..")
                .should().dependOnClassesThat().resideInAnyPackage("org.touchpointhub.pipeline..", "org.touchpointhub.crm..",
                        "org.touchpointhub.admin..", "org.touchpointhub.ingest..", "org.springframework.jdbc..",
                        "org.springframework.jms..", "org.apache.camel..")
                .check(HUB);
    }

    @Test // #3
    void deliveryNeverReachesIntoTheEdgeOrThePipeline() {
        noClasses().that().resideInAPackage("org.touchpointhub.crm..")
                .should().dependOnClassesThat().resideInAnyPackage("org.touchpointhub.ingest..", "org.touchpointhub.pipeline..",
                        "org.touchpointhub.connector..")
                .check(HUB);
    }

    @Test // #3
    void theEdgeNeverWritesTheDatabase() {
        noClasses().that().resideInAPackage("org.touchpointhub.ingest..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.jdbc..", "org.touchpointhub.identity..",
                        "org.touchpointhub.crm..")
                .check(HUB);
    }

    @Test // #6
    void companiesKnowNeitherThePipelineNorIdentityNorDelivery() {
        // identity (the merge ledger) and the pipeline call companies; the other way round would be a cycle
        noClasses().that().resideInAPackage("org.touchpointhub.company..")
                .should().dependOnClassesThat().resideInAnyPackage("org.touchpointhub.pipeline..", "org.touchpointhub.identity..",
                        "org.touchpointhub.crm..", "org.touchpointhub.connector..", "org.touchpointhub.admin..")
                .check(HUB);
    }

    @Test // #6
    void enrichmentKnowsNoEngineAndNoOtherStep() {
        noClasses().that().resideInAPackage("org.touchpointhub.enrich..")
                .should().dependOnClassesThat().resideInAnyPackage("org.touchpointhub.pipeline..", "org.touchpointhub.identity..",
                        "org.touchpointhub.company..", "org.touchpointhub.crm..", "org.touchpointhub.ingest..",
                        "org.springframework.jdbc..", "org.springframework.jms..", "org.apache.camel..")
                .check(HUB);
    }
}
