package io.mailfleet.ops;
