from django.contrib import admin

from townsquare.workspaces.models import Invitation, Membership, Organisation, Workspace

admin.site.register(Organisation)
admin.site.register(Workspace)
admin.site.register(Membership)
admin.site.register(Invitation)
