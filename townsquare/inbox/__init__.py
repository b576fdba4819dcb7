"""The inbox: what users say to the workspace's accounts, triaged, routed, answered, and the
register of what they asked the company for, tracked until they have been told."""
