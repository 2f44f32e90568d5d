import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Catalogue, type Force, type OffenceDefinition, type Region } from '#libs/catalogue';
import { Roles, ROLES } from '#libs/auth';
import { ForceResponseDto } from './dto/force-response.dto.js';
import { OffenceResponseDto } from './dto/offence-response.dto.js';
import { RegionResponseDto } from './dto/region-response.dto.js';

// Reference data is not personal data: every signed-in role may read it.
@ApiTags('catalogue')
@Controller('catalogue')
@Roles(...ROLES)
export class CatalogueController {
  constructor(private readonly catalogue: Catalogue) {}

  @Get('forces')
  @ApiOperation({ summary: 'The 43 territorial forces and British Transport Police, with region and source' })
  @ApiOkResponse({ type: [ForceResponseDto] })
  forces(): Force[] {
    return this.catalogue.forces();
  }

  @Get('regions')
  @ApiOkResponse({ type: [RegionResponseDto] })
  regions(): Region[] {
    return this.catalogue.regions();
  }

  @Get('offences')
  @ApiOperation({ summary: 'Home Office offence codes with age/sex constraints, validity dates and sources' })
  @ApiOkResponse({ type: [OffenceResponseDto] })
  offences(): OffenceDefinition[] {
    return this.catalogue.offences();
  }
}
