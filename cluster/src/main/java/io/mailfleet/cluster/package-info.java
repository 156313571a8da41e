package io.mailfleet.cluster;
