package io.mailfleet.server.web;

import io.mailfleet.core.sieve.ParseException;
import io.mailfleet.core.sieve.SieveCompiler;
import io.mailfleet.core.sieve.SieveLimits;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link VacationScript}: what the form writes compiles, and the form reads back what it wrote. */
class VacationScriptTest {

    @Test
    void quotesBackslashesAndLineBreaksSurviveTheScript() throws Exception {
        VacationScript.Form form = new VacationScript.Form("Away \"until\" Monday \\o/", "Line one\nLine \"two\"\r\n", "5");
        String script = VacationScript.script(form);
        SieveCompiler.compile("vacation", script, SieveLimits.defaults());
        assertEquals(Optional.of(form), VacationScript.parse(script));
    }

    @Test
    void theCompilerJudgesTheDaysAndTheFormOnlyTakesNumbers() {
        ParseException e = assertThrows(ParseException.class, () -> SieveCompiler.compile("vacation",
                VacationScript.script(new VacationScript.Form("s", "m", "0")), SieveLimits.defaults()));
        assertEquals("vacation :days must be 1 or more", e.reason());
        assertThrows(IllegalArgumentException.class, () -> VacationScript.script(new VacationScript.Form("s", "m", "7; stop")));
    }
}
