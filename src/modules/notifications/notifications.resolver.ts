import { Args, Authorized, Ctx, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Role, requireUser } from '../../core/context';
import type { ModuleContext } from '../loaders';
import { NOTIFICATION_ADDED, type LiveNotification } from './live-feed';
import { liveNotification, NotificationsService } from './notifications.service';
import {
  MarkNotificationsReadArgs,
  MarkNotificationsReadPayload,
  Notification,
  NotificationConnection,
  NotificationPreference,
  NotificationsArgs,
  UpdateNotificationPreferencesArgs,
} from './notifications.types';

/** The influencer's own inbox: nobody else reads or changes it. */
@Resolver(() => Notification)
export class NotificationsResolver {
  constructor(private readonly inbox: NotificationsService) {}

  @Authorized(Role.INFLUENCER)
  @Query(() => NotificationConnection, { description: 'Your notifications, newest first' })
  notifications(@Args(() => NotificationsArgs) args: NotificationsArgs, @Ctx() ctx: ModuleContext): Promise<NotificationConnection> {
    return this.inbox.list(requireUser(ctx).userId, args);
  }

  @Authorized(Role.INFLUENCER)
  @Query(() => Int, { description: 'How many of your notifications are not marked read' })
  unreadNotificationCount(@Ctx() ctx: ModuleContext): Promise<number> {
    return this.inbox.unreadCount(requireUser(ctx).userId);
  }

  @Authorized(Role.INFLUENCER)
  @Mutation(() => MarkNotificationsReadPayload, {
    description: 'Marks your notifications read; ids already read, unknown or not yours are ignored',
  })
  markNotificationsRead(@Args(() => MarkNotificationsReadArgs) args: MarkNotificationsReadArgs, @Ctx() ctx: ModuleContext) {
    return this.inbox.markRead(requireUser(ctx).userId, args.ids);
  }

  /**
   * Each subscriber listens under their own user id (api/live-feed.ts), so nobody hears another's
   * notifications; only kinds wanted in-app are ever written, so only those arrive.
   */
  @Authorized(Role.INFLUENCER)
  @Subscription(() => Notification, {
    topics: NOTIFICATION_ADDED,
    topicId: ({ context }) => requireUser(context as ModuleContext).userId,
    description:
      'Your notifications as they are written, over graphql-ws on /graphql. Best effort: what is written while you are not ' +
      'connected is not replayed; read `notifications` when you (re)connect.',
  })
  notificationAdded(@Root() added: LiveNotification): Notification {
    return liveNotification(added);
  }

  @Authorized(Role.INFLUENCER)
  @Query(() => [NotificationPreference], { description: 'How you hear about each kind of notification' })
  notificationPreferences(@Ctx() ctx: ModuleContext): Promise<NotificationPreference[]> {
    return this.inbox.preferences(requireUser(ctx).userId);
  }

  @Authorized(Role.INFLUENCER)
  @Mutation(() => [NotificationPreference], { description: 'Changes how you hear about the kinds listed; answers every kind' })
  updateNotificationPreferences(
    @Args(() => UpdateNotificationPreferencesArgs) args: UpdateNotificationPreferencesArgs,
    @Ctx() ctx: ModuleContext,
  ): Promise<NotificationPreference[]> {
    return this.inbox.updatePreferences(requireUser(ctx).userId, args.input);
  }
}
