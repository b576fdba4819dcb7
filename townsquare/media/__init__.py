"""The media library: images and videos of a workspace, checked and cleaned on upload."""
