package io.rehearsal.pipelines;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * No cycle between packages, checked on the compiled main classes of both modules (ArchUnit reads the class
 * files, so a fully qualified name in code counts like an import); a failure names the cycle. Seen failing with
 * RunJob referring to {@code cli} again ("Cycle detected: Slice pipelines - cli -> ..."), as it did before the
 * step summaries moved next to their domain. That {@code transforms} never depends on {@code pipelines} needs no
 * rule here: the transforms module has no dependency on pipelines, so such code does not compile.
 */
public class ArchitectureTest {

  private static JavaClasses main;

  @BeforeClass
  public static void importMainClasses() {
    // The transforms module arrives as its classes folder or its jar, its test fixtures as a -tests jar.
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("io.rehearsal");
    assertTrue("no transforms classes imported", main.containPackage("io.rehearsal.transforms.features"));
    assertTrue("no pipelines classes imported", main.containPackage("io.rehearsal.pipelines.run"));
    assertFalse("test classes imported", main.containPackage("io.rehearsal.pipelines.testing"));
  }

  @Test
  public void packagesHaveNoCycles() {
    slices().matching("io.rehearsal.(*).(*)..").should().beFreeOfCycles().check(main);
  }
}
