package io.mailfleet.devtools;

import io.mailfleet.cli.CommandPlugin;

import java.util.List;

/** Hangs {@code local} under {@code ./mailfleet cluster}, next to {@code credentials} as it always was. */
public final class LocalClusterPlugin implements CommandPlugin {

    @Override
    public List<String> parent() {
        return List.of("cluster");
    }

    @Override
    public Class<?> command() {
        return LocalClusterCommand.class;
    }

    @Override
    public String before() {
        return "credentials";
    }
}
