import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PanelLocation, PanelStore } from '../tickets/panel-store';
import type { Panel, PanelSettings } from '../tickets/panels';
import { sendIf } from './dynamo-helpers';
import { Keys } from './keys';

function toPanel(item: Record<string, unknown>): Panel {
  const { PK: _pk, SK: _sk, ...rest } = item;
  return rest as unknown as Panel;
}

/** Panels in the guild's partition: `GUILD#<gid>` / `PANEL#<id>` (one Query lists a guild's panels). */
export class DynamoPanelStore implements PanelStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getPanel(guildId: string, panelId: string): Promise<Panel | null> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.panel(guildId, panelId), ConsistentRead: true }));
    return res.Item ? toPanel(res.Item) : null;
  }

  async listPanels(guildId: string): Promise<Panel[]> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': Keys.guildPk(guildId), ':p': 'PANEL#' },
        ConsistentRead: true,
      }),
    );
    return (res.Items ?? []).map(toPanel).sort((a, b) => a.createdAt - b.createdAt);
  }

  async createPanel(guildId: string, panel: Panel): Promise<boolean> {
    return sendIf(this.db, new PutCommand({ TableName: this.tableName, Item: { ...Keys.panel(guildId, panel.id), ...panel }, ConditionExpression: 'attribute_not_exists(PK)' }));
  }

  async updatePanelSettings(guildId: string, panelId: string, s: PanelSettings, now: number): Promise<boolean> {
    return sendIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.panel(guildId, panelId),
        UpdateExpression: 'SET title = :t, description = :d, color = :c, categoryIds = :ids, #style = :s, updatedAt = :now',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#style': 'style' },
        ExpressionAttributeValues: { ':t': s.title, ':d': s.description, ':c': s.color, ':ids': s.categoryIds, ':s': s.style, ':now': now },
      }),
    );
  }

  async setPanelMessage(guildId: string, panelId: string, at: PanelLocation): Promise<boolean> {
    return sendIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.panel(guildId, panelId),
        UpdateExpression: 'SET channelId = :c, channelName = :n, messageId = :m',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':c': at.channelId, ':n': at.channelName, ':m': at.messageId },
      }),
    );
  }

  async deletePanel(guildId: string, panelId: string): Promise<Panel | null> {
    const res = await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: Keys.panel(guildId, panelId), ReturnValues: 'ALL_OLD' }));
    return res.Attributes ? toPanel(res.Attributes) : null;
  }
}
