package io.mailfleet.core;
