package io.mailfleet.bench;

import io.mailfleet.cli.CommandPlugin;

import java.util.List;

/** Hangs {@code bench} under {@code ./mailfleet}, last before {@code help} as it always was. */
public final class BenchPlugin implements CommandPlugin {

    @Override
    public List<String> parent() {
        return List.of();
    }

    @Override
    public Class<?> command() {
        return Bench.class;
    }

    @Override
    public String before() {
        return "help";
    }
}
